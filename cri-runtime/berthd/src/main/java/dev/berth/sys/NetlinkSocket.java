package dev.berth.sys;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A NETLINK_ROUTE socket of the network namespace it was opened in (the kernel binds it there at socket(2)),
 * speaking one request at a time: send, then read until the kernel's ACK or error for that request. Every
 * request asks for an ACK, so a failure always comes back as the errno of the operation that failed. Not
 * thread-safe: one socket per caller.
 */
final class NetlinkSocket implements AutoCloseable {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    /** A kernel that does not answer in this time is stuck; the caller gets EAGAIN instead of a hung pod start. */
    private static final long RECEIVE_TIMEOUT_SECONDS = 10;

    private final NativeFd fd;
    private final byte[] receive = new byte[32 * 1024];
    private int sequence;

    private NetlinkSocket(NativeFd fd) {
        this.fd = fd;
    }

    /** A socket of the calling thread's network namespace. */
    static NetlinkSocket open() throws SyscallException {
        int raw;
        try {
            raw = LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw NativeFd.failure("socket AF_NETLINK", e);
        }
        NativeFd fd = new NativeFd(raw, "netlink");
        try {
            LibC.setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, new long[] {RECEIVE_TIMEOUT_SECONDS, 0}, 16);
        } catch (LastErrorException e) {
            fd.close();
            throw NativeFd.failure("setsockopt SO_RCVTIMEO netlink", e);
        }
        return new NetlinkSocket(fd);
    }

    /**
     * Sends {@code message} and returns the payloads (everything after {@code nlmsghdr}) of the replies before
     * its ACK; {@code operation} names the request in the exception when the kernel refuses it.
     */
    List<byte[]> request(NetlinkMessage message, String operation) throws SyscallException {
        int seq = ++sequence;
        byte[] bytes = message.bytes(seq);
        try {
            long written = LibC.write(fd.fd(), bytes, bytes.length);
            if (written != bytes.length) {
                throw new SyscallException(operation, null, Errno.EIO, "short write to netlink socket");
            }
        } catch (LastErrorException e) {
            throw NativeFd.failure(operation, e);
        }
        List<byte[]> replies = new ArrayList<>();
        while (true) {
            int length;
            try {
                length = (int) LibC.read(fd.fd(), receive, receive.length);
            } catch (LastErrorException e) {
                throw NativeFd.failure(operation + " (reading the reply)", e);
            }
            ByteBuffer in = ByteBuffer.wrap(receive, 0, length).order(ByteOrder.nativeOrder());
            while (in.remaining() >= NetlinkMessage.HEADER_LENGTH) {
                int start = in.position();
                int messageLength = in.getInt(start);
                int type = Short.toUnsignedInt(in.getShort(start + 4));
                int replySeq = in.getInt(start + 8);
                if (messageLength < NetlinkMessage.HEADER_LENGTH || start + messageLength > length) {
                    throw new SyscallException(operation, null, Errno.EIO, "malformed netlink reply");
                }
                in.position(start + NetlinkMessage.align(messageLength));
                if (replySeq != seq) {
                    continue; // an answer to an earlier request that timed out
                }
                if (type == NLMSG_ERROR) {
                    int error = in.getInt(start + NetlinkMessage.HEADER_LENGTH);
                    if (error == 0) {
                        return replies;
                    }
                    throw new SyscallException(operation, null, -error, LibC.strerror(-error));
                }
                if (type == NLMSG_DONE) {
                    return replies;
                }
                replies.add(Arrays.copyOfRange(receive, start + NetlinkMessage.HEADER_LENGTH, start + messageLength));
            }
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
