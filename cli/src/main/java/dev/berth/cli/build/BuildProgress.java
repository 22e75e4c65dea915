package dev.berth.cli.build;

import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.StepStarted;
import java.util.Locale;

/** Shows a build's events as they come in. */
public interface BuildProgress {

    void event(BuildEvent event);

    /** The build ended (either way): whatever is still live is drawn for good. */
    void finish();

    /** buildkit's step label: {@code [2/5]}, {@code [builder 2/5]} for a named stage. */
    static String label(StepStarted step) {
        String stage = step.getStage();
        boolean named = !stage.isEmpty() && !stage.chars().allMatch(Character::isDigit);
        return "[" + (named ? stage + " " : "") + step.getIndex() + "/" + step.getTotal() + "]";
    }

    /** {@code 0.4s}, as buildkit times a step. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    /** The error line of a failed step: berthd's message, or docker's words for a bare exit code. */
    static String failure(dev.berth.api.v1.StepFailed failed) {
        if (!failed.getMessage().isEmpty()) {
            return failed.getMessage();
        }
        return "process did not complete successfully: exit code: " + failed.getExitCode();
    }
}
