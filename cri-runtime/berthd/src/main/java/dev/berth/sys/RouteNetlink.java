package dev.berth.sys;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The rtnetlink operations a pod's default network needs, as {@code ip link/addr/route} would send them, on a
 * socket of one network namespace: the host's ({@link #open}) or a pod's ({@link #openIn}). Close it when done.
 */
public final class RouteNetlink implements AutoCloseable {

    private static final int RTM_NEWLINK = 16;
    private static final int RTM_DELLINK = 17;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_SETLINK = 19;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_NEWROUTE = 24;
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int AF_BRIDGE = 7;
    private static final int IFF_UP = 0x1;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_MASTER = 10;
    private static final int IFLA_PROTINFO = 12;
    private static final int IFLA_LINKINFO = 18;
    private static final int IFLA_NET_NS_FD = 28;
    private static final int IFLA_INFO_KIND = 1;
    private static final int IFLA_INFO_DATA = 2;
    private static final int VETH_INFO_PEER = 1;
    private static final int IFLA_BRPORT_MODE = 4;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int RTA_GATEWAY = 5;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RTPROT_BOOT = 3;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RTN_UNICAST = 1;
    private static final int O_RDONLY_CLOEXEC = 02000000;

    private final NetlinkSocket socket;

    private RouteNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** A socket of the calling thread's network namespace (berthd's: the host's). */
    public static RouteNetlink open() throws SyscallException {
        return new RouteNetlink(NetlinkSocket.open());
    }

    /**
     * A socket of the network namespace pinned at {@code netns}: a short-lived platform thread enters it and opens
     * the socket, which stays bound to that namespace after the thread is gone.
     */
    public static RouteNetlink openIn(Path netns, NamespaceCalls namespaces) throws IOException {
        CompletableFuture<RouteNetlink> result = new CompletableFuture<>();
        Thread.ofPlatform().name("berth-netlink-ns").start(() -> {
            try {
                namespaces.enter(netns, NamespaceCalls.CLONE_NEWNET);
                result.complete(open());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("opening a netlink socket in " + netns + " failed", e.getCause());
        }
    }

    /** The index of link {@code name}, or empty when there is none. */
    public OptionalInt linkIndex(String name) throws SyscallException {
        NetlinkMessage get =
                new NetlinkMessage(RTM_GETLINK, 0).ifinfomsg(AF_UNSPEC, 0, 0, 0).attrString(IFLA_IFNAME, name);
        try {
            List<byte[]> replies = socket.request(get, "netlink get link " + name);
            if (replies.isEmpty()) {
                return OptionalInt.empty();
            }
            // ifinfomsg.ifi_index sits after family, pad and type
            return OptionalInt.of(ByteBuffer.wrap(replies.getFirst())
                    .order(ByteOrder.nativeOrder())
                    .getInt(4));
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENODEV) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    /** Creates bridge {@code name}; EEXIST when a link of that name exists already. */
    public void createBridge(String name) throws SyscallException {
        NetlinkMessage create = new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .attrString(IFLA_IFNAME, name)
                .begin(IFLA_LINKINFO)
                .attrString(IFLA_INFO_KIND, "bridge")
                .end();
        socket.request(create, "netlink create bridge " + name);
    }

    /**
     * Creates a veth pair: {@code hostName} here, up and enslaved to {@code masterIndex}, and its peer
     * {@code peerName} made directly inside the namespace pinned at {@code peerNetns} (it never appears in this one,
     * so its name cannot clash here), still down. {@code mtu} 0 keeps the kernel's default.
     */
    public void createVethPair(String hostName, int masterIndex, String peerName, Path peerNetns, int mtu)
            throws SyscallException {
        int nsFd;
        try {
            nsFd = LibC.open(MountCalls.c(peerNetns.toString()), O_RDONLY_CLOEXEC);
        } catch (LastErrorException e) {
            throw MountCalls.failure("open", peerNetns, e);
        }
        try (NativeFd ignored = new NativeFd(nsFd, peerNetns.toString())) {
            NetlinkMessage create = new NetlinkMessage(
                            RTM_NEWLINK, NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
                    .ifinfomsg(AF_UNSPEC, 0, IFF_UP, IFF_UP)
                    .attrString(IFLA_IFNAME, hostName)
                    .attrU32(IFLA_MASTER, masterIndex);
            if (mtu > 0) {
                create.attrU32(IFLA_MTU, mtu);
            }
            create.begin(IFLA_LINKINFO)
                    .attrString(IFLA_INFO_KIND, "veth")
                    .begin(IFLA_INFO_DATA)
                    .begin(VETH_INFO_PEER)
                    // not up yet: the kernel opens the peer before the pair is joined, and veth refuses that
                    .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                    .attrString(IFLA_IFNAME, peerName)
                    .attrU32(IFLA_NET_NS_FD, nsFd);
            if (mtu > 0) {
                create.attrU32(IFLA_MTU, mtu);
            }
            create.end().end().end();
            socket.request(create, "netlink create veth " + hostName + " (peer " + peerName + " in " + peerNetns + ")");
        }
    }

    public void setUp(int index) throws SyscallException {
        setFlags(index, IFF_UP, "up");
    }

    public void setDown(int index) throws SyscallException {
        setFlags(index, 0, "down");
    }

    public void setMaster(int index, int masterIndex) throws SyscallException {
        NetlinkMessage set = new NetlinkMessage(RTM_SETLINK, 0)
                .ifinfomsg(AF_UNSPEC, index, 0, 0)
                .attrU32(IFLA_MASTER, masterIndex);
        socket.request(set, "netlink set link " + index + " master " + masterIndex);
    }

    public void setMtu(int index, int mtu) throws SyscallException {
        NetlinkMessage set = new NetlinkMessage(RTM_SETLINK, 0)
                .ifinfomsg(AF_UNSPEC, index, 0, 0)
                .attrU32(IFLA_MTU, mtu);
        socket.request(set, "netlink set link " + index + " mtu " + mtu);
    }

    /** Lets the bridge send frames back out of the port they came in on, so a pod reaches itself by service IP. */
    public void setHairpin(int portIndex) throws SyscallException {
        NetlinkMessage set = new NetlinkMessage(RTM_SETLINK, 0)
                .ifinfomsg(AF_BRIDGE, portIndex, 0, 0)
                .begin(IFLA_PROTINFO | NetlinkMessage.NLA_F_NESTED)
                .attrU8(IFLA_BRPORT_MODE, 1)
                .end();
        socket.request(set, "netlink set bridge port " + portIndex + " hairpin on");
    }

    /** Deletes link {@code name} (a veth takes its peer with it); false when there was none. */
    public boolean deleteLink(String name) throws SyscallException {
        NetlinkMessage delete =
                new NetlinkMessage(RTM_DELLINK, 0).ifinfomsg(AF_UNSPEC, 0, 0, 0).attrString(IFLA_IFNAME, name);
        try {
            socket.request(delete, "netlink delete link " + name);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    /** Adds {@code address/prefixLength} to the link; EEXIST when it has it already. */
    public void addAddress(int index, Inet4Address address, int prefixLength) throws SyscallException {
        NetlinkMessage add = new NetlinkMessage(RTM_NEWADDR, NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
                .ifaddrmsg(AF_INET, prefixLength, RT_SCOPE_UNIVERSE, index)
                .attr(IFA_LOCAL, address.getAddress())
                .attr(IFA_ADDRESS, address.getAddress());
        socket.request(
                add, "netlink add address " + address.getHostAddress() + "/" + prefixLength + " to link " + index);
    }

    /** Adds the IPv4 default route through {@code gateway}, which must be on a directly connected subnet. */
    public void addDefaultRoute(Inet4Address gateway) throws SyscallException {
        NetlinkMessage add = new NetlinkMessage(RTM_NEWROUTE, NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
                .rtmsg(AF_INET, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST)
                .attr(RTA_GATEWAY, gateway.getAddress());
        socket.request(add, "netlink add default route via " + gateway.getHostAddress());
    }

    @Override
    public void close() {
        socket.close();
    }

    private void setFlags(int index, int flags, String what) throws SyscallException {
        NetlinkMessage set = new NetlinkMessage(RTM_SETLINK, 0).ifinfomsg(AF_UNSPEC, index, flags, IFF_UP);
        socket.request(set, "netlink set link " + index + " " + what);
    }
}
