package dev.berth.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One rtnetlink request as the kernel reads it: {@code struct nlmsghdr}, one fixed header ({@code ifinfomsg},
 * {@code ifaddrmsg} or {@code rtmsg}), then {@code rtattr}s, each padded to 4 bytes and nestable. Integers are in
 * host byte order, as netlink wants them; addresses are given as network-order bytes.
 */
final class NetlinkMessage {

    static final int HEADER_LENGTH = 16;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLA_F_NESTED = 0x8000;

    private ByteBuffer buffer = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
    private final Deque<Integer> openNests = new ArrayDeque<>();

    /** A request of {@code type} (RTM_*) with {@code flags} beside NLM_F_REQUEST and NLM_F_ACK. */
    NetlinkMessage(int type, int flags) {
        buffer.putInt(0); // nlmsg_len, set by bytes()
        buffer.putShort((short) type);
        buffer.putShort((short) (flags | NLM_F_REQUEST | NLM_F_ACK));
        buffer.putInt(0); // nlmsg_seq, set by bytes()
        buffer.putInt(0); // nlmsg_pid: the kernel fills in the sender
    }

    /** {@code struct ifinfomsg}: family, pad, type, index, flags, change (16 bytes). */
    NetlinkMessage ifinfomsg(int family, int index, int flags, int change) {
        ensure(16);
        buffer.put((byte) family).put((byte) 0).putShort((short) 0);
        buffer.putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** {@code struct ifaddrmsg}: family, prefix length, flags, scope, index (8 bytes). */
    NetlinkMessage ifaddrmsg(int family, int prefixLength, int scope, int index) {
        ensure(8);
        buffer.put((byte) family).put((byte) prefixLength).put((byte) 0).put((byte) scope);
        buffer.putInt(index);
        return this;
    }

    /** {@code struct rtmsg}: family, dst/src length, tos, table, protocol, scope, type, flags (12 bytes). */
    NetlinkMessage rtmsg(int family, int dstLength, int table, int protocol, int scope, int routeType) {
        ensure(12);
        buffer.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0);
        buffer.put((byte) table).put((byte) protocol).put((byte) scope).put((byte) routeType);
        buffer.putInt(0);
        return this;
    }

    NetlinkMessage attr(int type, byte[] value) {
        int length = 4 + value.length;
        ensure(align(length));
        buffer.putShort((short) length).putShort((short) type).put(value);
        pad();
        return this;
    }

    NetlinkMessage attrU32(int type, int value) {
        return attr(
                type,
                ByteBuffer.allocate(4)
                        .order(ByteOrder.nativeOrder())
                        .putInt(value)
                        .array());
    }

    NetlinkMessage attrU8(int type, int value) {
        return attr(type, new byte[] {(byte) value});
    }

    /** A NUL-terminated string, as the kernel takes interface names and link kinds. */
    NetlinkMessage attrString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(bytes, bytes.length + 1));
    }

    /** Opens a nested attribute; what follows until {@link #end} is its payload. */
    NetlinkMessage begin(int type) {
        ensure(4);
        openNests.push(buffer.position());
        buffer.putShort((short) 0).putShort((short) type);
        return this;
    }

    NetlinkMessage end() {
        int start = openNests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /** The finished message with its length and {@code sequence}. */
    byte[] bytes(int sequence) {
        if (!openNests.isEmpty()) {
            throw new IllegalStateException("nested attribute left open");
        }
        byte[] out = Arrays.copyOf(buffer.array(), buffer.position());
        ByteBuffer view = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        view.putInt(0, out.length);
        view.putInt(8, sequence);
        return out;
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }

    private void pad() {
        while ((buffer.position() & 3) != 0) {
            buffer.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buffer.remaining() < more + 4) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more + 4))
                    .order(ByteOrder.nativeOrder());
            bigger.put(buffer.array(), 0, buffer.position());
            buffer = bigger;
        }
    }
}
