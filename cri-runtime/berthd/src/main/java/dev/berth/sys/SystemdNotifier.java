package dev.berth.sys;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * sd_notify(3) without libsystemd: one datagram to the unix socket {@code $NOTIFY_SOCKET} names, so a
 * {@code Type=notify} unit is started only once berthd serves. The JDK's unix-domain channels are stream-only,
 * hence the native socket. A name starting with {@code @} is in the abstract namespace, as systemd defines it.
 */
public final class SystemdNotifier {

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    /** A reader gone away is an error to report, not a SIGPIPE that ends berthd. */
    private static final int MSG_NOSIGNAL = 0x4000;

    private final String socket;

    /** {@code environment} is the process's: the notifier is inactive without {@code NOTIFY_SOCKET}. */
    public SystemdNotifier(Map<String, String> environment) {
        String value = environment.get("NOTIFY_SOCKET");
        this.socket = value == null || value.isEmpty() ? null : value;
    }

    /** Whether a service manager asked to be told (berthd runs under {@code Type=notify}). */
    public boolean active() {
        return socket != null;
    }

    /**
     * Sends {@code state}, newline-separated {@code KEY=VALUE} assignments such as {@code READY=1}; does
     * nothing when inactive.
     */
    public void notify(String state) throws IOException {
        if (socket == null) {
            return;
        }
        byte[] address = address(socket);
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        int fd;
        try {
            fd = LibC.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw NativeFd.failure("socket AF_UNIX SOCK_DGRAM", e);
        }
        try (NativeFd handle = new NativeFd(fd, "NOTIFY_SOCKET")) {
            LibC.sendto(handle.fd(), message, message.length, MSG_NOSIGNAL, address, address.length);
        } catch (LastErrorException e) {
            throw new IOException("sd_notify to NOTIFY_SOCKET " + socket + ": " + LibC.strerror(e.getErrorCode()));
        }
    }

    /**
     * A {@code struct sockaddr_un} of exactly the length to pass: a path with its NUL, or an abstract name (a
     * leading NUL for the {@code @}, no trailing one: every byte of the length is part of the name).
     */
    static byte[] address(String socket) throws IOException {
        boolean abstractName = socket.startsWith("@");
        if (!abstractName && !socket.startsWith("/")) {
            throw new IOException("NOTIFY_SOCKET " + socket + " is neither a path nor an @abstract name");
        }
        byte[] name = socket.getBytes(StandardCharsets.UTF_8);
        int pathBytes = abstractName ? name.length : name.length + 1;
        if (pathBytes > UnixSockets.MAX_PATH_BYTES) {
            throw new IOException("NOTIFY_SOCKET " + socket + " is longer than a unix socket address");
        }
        ByteBuffer address = ByteBuffer.allocate(2 + pathBytes).order(ByteOrder.nativeOrder());
        address.putShort((short) AF_UNIX);
        if (abstractName) {
            address.put((byte) 0).put(name, 1, name.length - 1);
        } else {
            address.put(name).put((byte) 0);
        }
        return address.array();
    }
}
