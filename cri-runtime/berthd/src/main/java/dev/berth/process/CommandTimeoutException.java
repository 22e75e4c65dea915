package dev.berth.process;

import java.io.IOException;

/** A program did not finish within its deadline and was killed. */
public final class CommandTimeoutException extends IOException {

    public CommandTimeoutException(CommandRunner.Command command, String stderr) {
        super(command.name() + " did not finish within " + command.timeout().toMillis() + " ms and was killed"
                + (stderr.isEmpty() ? "" : ": " + stderr));
    }
}
