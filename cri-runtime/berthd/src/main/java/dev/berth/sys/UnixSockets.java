package dev.berth.sys;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The unix sockets the JDK's {@code UnixDomainSocketAddress} channels cannot be: SOCK_SEQPACKET (conmon's
 * attach socket), at paths longer than sun_path. Sockets are close-on-exec and non-blocking ({@link NativeFd}).
 */
public final class UnixSockets {

    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    /** sizeof(sun_path) on Linux, its NUL included. */
    public static final int MAX_PATH_BYTES = 108;

    /**
     * A SOCK_SEQPACKET connection to the socket at {@code path}, however long the path: it is reached through
     * {@code /proc/self/fd} of an O_PATH descriptor of the socket file, as podman reaches conmon's.
     */
    public NativeFd connectSeqPacket(Path path) throws IOException {
        int pathFd;
        try {
            pathFd = LibC.open(MountCalls.c(path.toString()), O_PATH | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SyscallException("open O_PATH", path, e.getErrorCode(), LibC.strerror(e.getErrorCode()));
        }
        try (NativeFd pathHandle = new NativeFd(pathFd, "O_PATH " + path)) {
            byte[] address = address("/proc/self/fd/" + pathHandle.fd());
            int fd;
            try {
                // blocking for the connect itself (a non-blocking one may fail with EAGAIN on a full backlog)
                fd = LibC.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
            } catch (LastErrorException e) {
                throw NativeFd.failure("socket", e);
            }
            try {
                LibC.connect(fd, address, address.length);
            } catch (LastErrorException e) {
                new NativeFd(fd, "attach socket " + path).close();
                throw new SyscallException("connect", path, e.getErrorCode(), LibC.strerror(e.getErrorCode()));
            }
            return NativeFd.adopt(fd, "attach socket " + path);
        }
    }

    /** A {@code struct sockaddr_un}: family, then the NUL-terminated path; returns exactly the bytes to pass. */
    private static byte[] address(String path) throws IOException {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 1 > MAX_PATH_BYTES) {
            throw new IOException("unix socket path " + path + " is longer than " + (MAX_PATH_BYTES - 1) + " bytes");
        }
        ByteBuffer address = ByteBuffer.allocate(2 + bytes.length + 1).order(ByteOrder.nativeOrder());
        address.putShort((short) AF_UNIX).put(bytes).put((byte) 0);
        return address.array();
    }
}
