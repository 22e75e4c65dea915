package dev.berth.cri.validation;

import java.util.List;

/** Argument vectors: a container's command and args, an exec's cmd. */
final class ExecChecks {

    private ExecChecks() {}

    /** Checks each argument; returns the bytes they take on the new process's stack (each with its NUL). */
    static long arguments(String field, List<String> values) throws InvalidRequestException {
        long total = 0;
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            Check.text(field + "[" + i + "]", value, RequestLimits.MAX_ARG_BYTES - 1);
            total += Check.utf8Bytes(value) + 1;
        }
        return total;
    }

    /** An exec's extra KEY=value variables: a key before the '=', each bounded as a container's env entry. */
    static void env(String field, List<String> env) throws InvalidRequestException {
        Check.count(field, env.size(), RequestLimits.MAX_ENV);
        long total = 0;
        for (int i = 0; i < env.size(); i++) {
            String entry = env.get(i);
            Check.text(field + "[" + i + "]", entry, RequestLimits.MAX_ARG_BYTES - 1);
            if (entry.indexOf('=') <= 0) {
                throw new InvalidRequestException(field + "[" + i + "]", "is not KEY=value: " + Shown.of(entry));
            }
            total += Check.utf8Bytes(entry) + 1;
        }
        if (total > RequestLimits.MAX_EXEC_CMD_BYTES) {
            throw new InvalidRequestException(
                    field, "is " + total + " bytes together, more than " + RequestLimits.MAX_EXEC_CMD_BYTES);
        }
    }

    /** An exec's cmd: at least the program, bounded as a container's command is. */
    static void cmd(String field, List<String> cmd) throws InvalidRequestException {
        if (cmd.isEmpty()) {
            throw new InvalidRequestException(field, "is required");
        }
        Check.count(field, cmd.size(), RequestLimits.MAX_ARGV);
        long total = arguments(field, cmd);
        if (total > RequestLimits.MAX_EXEC_CMD_BYTES) {
            throw new InvalidRequestException(
                    field,
                    "is " + total + " bytes together, more than " + RequestLimits.MAX_EXEC_CMD_BYTES
                            + " (half the kernel's ARG_MAX, which the container's env shares)");
        }
    }
}
