package dev.berth.restart;

import java.util.Optional;

/**
 * docker's restart policy of a container: {@code no}, {@code always}, {@code on-failure[:N]} (N restarts at most, 0
 * for no limit), as the {@code berth.dev/restart-policy} annotation of a CLI pod spells it.
 */
public record RestartPolicy(Kind kind, int maxRestarts) {

    public enum Kind {
        NO,
        ALWAYS,
        ON_FAILURE
    }

    public static final RestartPolicy NO = new RestartPolicy(Kind.NO, 0);

    /** The policy an annotation names; empty for one this berthd does not know (it is then not acted on). */
    public static Optional<RestartPolicy> parse(String value) {
        if (value == null || value.isEmpty() || value.equals("no")) {
            return Optional.of(NO);
        }
        if (value.equals("always")) {
            return Optional.of(new RestartPolicy(Kind.ALWAYS, 0));
        }
        if (value.equals("on-failure")) {
            return Optional.of(new RestartPolicy(Kind.ON_FAILURE, 0));
        }
        if (value.startsWith("on-failure:")) {
            String count = value.substring("on-failure:".length());
            if (count.matches("[0-9]{1,9}")) {
                return Optional.of(new RestartPolicy(Kind.ON_FAILURE, Integer.parseInt(count)));
            }
        }
        return Optional.empty();
    }

    /** Whether a container that exited with {@code exitCode} after {@code restarts} restarts is started again. */
    public boolean restarts(int exitCode, int restarts) {
        return switch (kind) {
            case NO -> false;
            case ALWAYS -> true;
            case ON_FAILURE -> exitCode != 0 && (maxRestarts == 0 || restarts < maxRestarts);
        };
    }
}
