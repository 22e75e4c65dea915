package dev.berth.cli;

/**
 * A failure the user gets in plain words, never as a stack trace. Without an explicit exit code the command
 * decides it: 125 for the commands that run a container (as docker's), 1 for the others.
 */
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(String message) {
        this(0, message);
    }

    private CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** A failure with a fixed exit code: 126 (cannot run) and 127 (not found) for a container's command. */
    public static CliException withCode(int exitCode, String message) {
        return new CliException(exitCode, message);
    }

    /** The fixed code, or 0 when the command decides. */
    public int exitCode() {
        return exitCode;
    }
}
