package dev.berth.cli.command;

import dev.berth.cli.stream.RemoteCommand;
import dev.berth.cli.sys.Terminal;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;

/** Runs a remote command stream on this process's stdio, the terminal in raw mode when the stream has a tty. */
final class Streams {

    private Streams() {}

    /** The command's exit code, or -1 when the user detached with Ctrl-P Ctrl-Q. */
    static int attach(String url, boolean stdin, boolean tty, boolean detachable) throws InterruptedException {
        InputStream in = stdin ? new FileInputStream(FileDescriptor.in) : null;
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        FileOutputStream err = new FileOutputStream(FileDescriptor.err);
        boolean terminal = tty && Terminal.isTerminal(Terminal.STDIN);
        if (!terminal) {
            return RemoteCommand.run(url, in, out, err, -1, detachable);
        }
        try (Terminal raw = Terminal.raw(Terminal.STDIN)) {
            return RemoteCommand.run(url, in, out, err, Terminal.STDOUT, detachable);
        }
    }
}
