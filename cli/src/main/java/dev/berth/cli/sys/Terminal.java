package dev.berth.cli.sys;

import com.sun.jna.LastErrorException;
import java.util.Optional;

/** The user's terminal: whether there is one, its size, and raw mode for an interactive session. */
public final class Terminal implements AutoCloseable {

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    private static final int TCSANOW = 0;
    private static final long TIOCGWINSZ = 0x5413;
    private static final int TERMIOS_BYTES = 128;

    private final int fd;
    private final byte[] saved;

    private Terminal(int fd, byte[] saved) {
        this.fd = fd;
        this.saved = saved;
    }

    public static boolean isTerminal(int fd) {
        return LibC.isatty(fd) == 1;
    }

    /** Puts {@code fd} in raw mode (no echo, no line editing, no signals from keys) until {@link #close}. */
    public static Terminal raw(int fd) {
        byte[] saved = new byte[TERMIOS_BYTES];
        try {
            LibC.tcgetattr(fd, saved);
            byte[] raw = saved.clone();
            LibC.cfmakeraw(raw);
            LibC.tcsetattr(fd, TCSANOW, raw);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot put the terminal in raw mode: errno " + e.getErrorCode(), e);
        }
        return new Terminal(fd, saved);
    }

    /** Rows and columns of the terminal on {@code fd}, if it is one. */
    public static Optional<Size> size(int fd) {
        short[] winsize = new short[4];
        try {
            LibC.ioctl(fd, TIOCGWINSZ, winsize);
        } catch (LastErrorException e) {
            return Optional.empty();
        }
        return Optional.of(new Size(Short.toUnsignedInt(winsize[0]), Short.toUnsignedInt(winsize[1])));
    }

    @Override
    public void close() {
        try {
            LibC.tcsetattr(fd, TCSANOW, saved);
        } catch (LastErrorException e) {
            // the terminal went away; nothing to restore
        }
    }

    public record Size(int rows, int columns) {}
}
