package dev.berth.process;

import java.io.IOException;

/** A program exited non-zero; the message quotes its stderr (or stdout, where it reports errors). */
public final class CommandFailedException extends IOException {

    private final CommandRunner.CommandResult result;

    public CommandFailedException(CommandRunner.CommandResult result) {
        super(result.command().name() + " failed (exit " + result.exitCode() + "): "
                + (result.stderr().isBlank()
                        ? result.stdout().strip()
                        : result.stderr().strip()));
        this.result = result;
    }

    public CommandRunner.CommandResult result() {
        return result;
    }
}
