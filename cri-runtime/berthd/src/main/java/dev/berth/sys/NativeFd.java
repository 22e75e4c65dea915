package dev.berth.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file descriptor the JDK cannot make (a pty master received over a unix socket, a SOCK_SEQPACKET
 * socket), in non-blocking mode so no thread ever sits in a native call it cannot leave: reads and writes
 * wait in poll(2) for at most {@link #POLL_MILLIS} at a time and give up once {@link #stop} was called.
 * Close it exactly once, after the threads that read or write it have returned.
 */
public final class NativeFd implements AutoCloseable {

    /** How long a read or write waits in one poll(2) before looking at {@link #stop} again. */
    public static final int POLL_MILLIS = 200;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    private static final short POLLERR = 0x8;
    private static final short POLLHUP = 0x10;
    private static final short POLLNVAL = 0x20;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    static final int O_NONBLOCK = 04000;
    private static final long TIOCSWINSZ = 0x5414;
    private static final int SHUT_WR = 1;

    private final int fd;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stopped;

    NativeFd(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** Takes ownership of {@code fd} and puts it in non-blocking mode (closing it if that fails). */
    static NativeFd adopt(int fd, String name) throws IOException {
        NativeFd adopted = new NativeFd(fd, name);
        try {
            int flags = LibC.fcntl(fd, F_GETFL, 0);
            LibC.fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        } catch (LastErrorException e) {
            adopted.close();
            throw failure("fcntl O_NONBLOCK " + name, e);
        }
        return adopted;
    }

    int fd() {
        return fd;
    }

    /**
     * Reads what is there, waiting up to {@code timeoutMillis}: the byte count, 0 when nothing came in time,
     * -1 at end of stream. EIO counts as the end: it is what a pty master reads once its slave side is closed.
     * After {@link #stop} it returns -1 at once.
     */
    public int read(byte[] buffer, int timeoutMillis) throws IOException {
        if (stopped) {
            return -1;
        }
        short events = poll(POLLIN, timeoutMillis);
        if (events == 0) {
            return 0;
        }
        if ((events & POLLNVAL) != 0) {
            return -1;
        }
        try {
            long n = LibC.read(fd, buffer, buffer.length);
            return n == 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            return switch (e.getErrorCode()) {
                case Errno.EAGAIN, Errno.EINTR -> 0;
                case Errno.EIO -> -1;
                default -> throw failure("read " + name, e);
            };
        }
    }

    /** Writes all of it, waiting while the other side does not take it; fails once {@link #stop} was called. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (stopped) {
                throw new IOException(name + " is closing");
            }
            byte[] chunk =
                    offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
            long n;
            try {
                n = LibC.write(fd, chunk, chunk.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR) {
                    short events = poll(POLLOUT, POLL_MILLIS);
                    if ((events & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
                        throw new IOException("write " + name + ": the other side has closed");
                    }
                    continue;
                }
                throw failure("write " + name, e);
            }
            offset += (int) n;
            length -= (int) n;
        }
    }

    /** Half-closes a socket: the peer reads end of stream, and can still write back. */
    public void shutdownOutput() throws IOException {
        try {
            LibC.shutdown(fd, SHUT_WR);
        } catch (LastErrorException e) {
            throw failure("shutdown " + name, e);
        }
    }

    /** TIOCSWINSZ on a pty master: the process on the slave side gets SIGWINCH. */
    public void setWindowSize(int columns, int rows) throws IOException {
        try {
            LibC.ioctl(fd, TIOCSWINSZ, new short[] {(short) rows, (short) columns, 0, 0});
        } catch (LastErrorException e) {
            throw failure("ioctl TIOCSWINSZ " + name, e);
        }
    }

    /** Makes pending and later reads return the end and writes fail, within {@link #POLL_MILLIS}. */
    public void stop() {
        stopped = true;
    }

    /** The poll(2) events that came for {@code wanted} within the timeout; 0 on timeout. */
    short poll(short wanted, int timeoutMillis) throws IOException {
        try (Memory pollfd = new Memory(8)) {
            pollfd.setInt(0, fd);
            pollfd.setShort(4, wanted);
            pollfd.setShort(6, (short) 0);
            int ready;
            try {
                ready = LibC.poll(pollfd, 1, timeoutMillis);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINTR) {
                    return 0;
                }
                throw failure("poll " + name, e);
            }
            return ready == 0 ? 0 : pollfd.getShort(6);
        }
    }

    /** Closes the descriptor once; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopped = true;
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // the descriptor is released even when close(2) reports an error (EINTR, EIO): never retry
            }
        }
    }

    @Override
    public String toString() {
        return name + " (fd " + fd + ")";
    }

    static SyscallException failure(String call, LastErrorException e) {
        return new SyscallException(call, null, e.getErrorCode(), LibC.strerror(e.getErrorCode()));
    }
}
