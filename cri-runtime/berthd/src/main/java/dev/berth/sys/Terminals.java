package dev.berth.sys;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Pseudo-terminals: a pty pair whose master berthd keeps and whose slave a child process opens by path. */
public final class Terminals {

    private static final int O_RDWR = 02;
    private static final int O_NOCTTY = 0400;
    private static final int O_CLOEXEC = 02000000;
    private static final int TCSANOW = 0;
    private static final int TERMIOS_BYTES = 128;

    /** A new pty's master (non-blocking, close-on-exec) and its slave's path, unlocked for opening. */
    public record Pty(NativeFd master, Path slave) {}

    /** O_NOCTTY: the master never becomes berthd's controlling terminal, even if berthd leads a session. */
    public Pty open() throws IOException {
        int fd;
        try {
            fd = LibC.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw NativeFd.failure("posix_openpt", e);
        }
        NativeFd master = NativeFd.adopt(fd, "pty master");
        try {
            LibC.grantpt(fd);
            LibC.unlockpt(fd);
            makeRaw(fd);
        } catch (LastErrorException e) {
            master.close();
            throw NativeFd.failure("grantpt/unlockpt/tcsetattr", e);
        }
        byte[] name = new byte[128];
        int error = LibC.ptsname_r(fd, name, name.length);
        if (error != 0) {
            master.close();
            throw new SyscallException("ptsname_r", null, error, LibC.strerror(error));
        }
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new Pty(master, Path.of(new String(name, 0, length, StandardCharsets.UTF_8)));
    }

    /**
     * Raw mode from the start (on a master, Linux applies it to the slave): the child that opens the slave relays
     * bytes, and a cooked slave turns every line into {@code \r\r\n} and echoes keys twice. runc exec -t sets it
     * raw itself, but from a goroutine after the container's console arrives, which under load did not hold.
     */
    private static void makeRaw(int master) {
        byte[] termios = new byte[TERMIOS_BYTES];
        LibC.tcgetattr(master, termios);
        LibC.cfmakeraw(termios);
        LibC.tcsetattr(master, TCSANOW, termios);
    }
}
