package dev.berth.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The service manager's end of {@code $NOTIFY_SOCKET} for tests: a bound unix datagram socket whose messages
 * {@link #receive} returns, as systemd reads a {@code Type=notify} service's.
 */
public final class NotifySocketListener implements AutoCloseable {

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;

    private final NativeFd fd;
    private final String name;

    private NotifySocketListener(NativeFd fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** Binds {@code name}: a path, or {@code @name} in the abstract namespace. */
    public static NotifySocketListener bind(String name) throws IOException {
        byte[] address = SystemdNotifier.address(name);
        int socket = LibC.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        NativeFd fd = NativeFd.adopt(socket, "notify listener " + name);
        try {
            Bind.bind(socket, address, address.length);
        } catch (LastErrorException e) {
            fd.close();
            throw new IOException("bind " + name + ": " + LibC.strerror(e.getErrorCode()));
        }
        return new NotifySocketListener(fd, name);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String name() {
        return name;
    }

    /** The next datagram, waiting at most {@code timeout}. */
    public String receive(Duration timeout) throws IOException, TimeoutException {
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int read = fd.read(buffer, NativeFd.POLL_MILLIS);
            if (read > 0) {
                return new String(buffer, 0, read, StandardCharsets.UTF_8);
            }
        }
        throw new TimeoutException("no message on " + name + " within " + timeout);
    }

    @Override
    public void close() {
        fd.close();
    }

    /** bind(2), which berthd itself never calls. */
    private static final class Bind {
        static {
            Native.register(Bind.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native int bind(int fd, byte[] address, int length) throws LastErrorException;
    }
}
