package dev.berth.network;

import dev.berth.store.Directories;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default network's pod addresses, kept as host-local keeps them, in the same directory and format: one file
 * per allocated address, named by it and holding {@code <pod id>\r\n<ifname>}, made with O_EXCL so two pods never
 * get one address, and {@code last_reserved_ip.0} so addresses are handed out round-robin rather than reused at
 * once. Either form of the default network (netlink or the CNI plugins) therefore sees the other's allocations.
 */
final class AddressPool {

    private static final Logger log = LoggerFactory.getLogger(AddressPool.class);
    private static final String LAST_RESERVED = "last_reserved_ip.0";
    private static final String LINE_BREAK = "\r\n";

    private final Path dir;

    AddressPool(Path dir) {
        this.dir = dir;
    }

    /** @throws IOException when every address of {@code subnet} is taken */
    synchronized Inet4Address allocate(Ipv4Subnet subnet, String podId, String ifName) throws IOException {
        Directories.createPrivate(dir);
        int start = lastReserved(subnet) + 1;
        byte[] owner = (podId + LINE_BREAK + ifName).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < subnet.podAddresses(); i++) {
            Inet4Address candidate = subnet.podAddress((start + i) % subnet.podAddresses());
            Path file = dir.resolve(candidate.getHostAddress());
            try (FileChannel channel =
                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                // a crash before this write leaves an empty file, which start-up's garbage collection removes
                channel.write(ByteBuffer.wrap(owner));
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            Files.writeString(dir.resolve(LAST_RESERVED), candidate.getHostAddress());
            return candidate;
        }
        throw new IOException("no free address left in the default network's subnet " + subnet.cidr());
    }

    /** Releases {@code address} if {@code podId} holds it; false when it does not (already released). */
    boolean release(String address, String podId) throws IOException {
        Path file = dir.resolve(Ipv4Subnet.address(address).getHostAddress());
        if (!podId.equals(owner(file))) {
            return false;
        }
        Files.deleteIfExists(file);
        return true;
    }

    /** Releases every address {@code podId} holds, for a teardown that has no record of what it got. */
    List<String> releaseAll(String podId) throws IOException {
        List<String> released = new ArrayList<>();
        for (Path file : addressFiles()) {
            if (podId.equals(owner(file))) {
                Files.deleteIfExists(file);
                released.add(file.getFileName().toString());
            }
        }
        return released;
    }

    /**
     * Releases addresses of pods berthd does not know (it was killed between allocating and recording) and the
     * empty files of an allocation cut short. Only at start-up, before any pod is set up.
     */
    void collectGarbage(Set<String> knownPodIds) throws IOException {
        for (Path file : addressFiles()) {
            String owner = owner(file);
            if (owner != null && !knownPodIds.contains(owner)) {
                log.info("releasing address {} of pod {}, which berthd no longer knows", file.getFileName(), owner);
                Files.deleteIfExists(file);
            }
        }
    }

    /** The pod holding {@code file}'s address; "" for an empty file, null when nobody holds it. */
    private static String owner(Path file) throws IOException {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int end = content.indexOf(LINE_BREAK);
            return (end < 0 ? content : content.substring(0, end)).strip();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private List<Path> addressFiles() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            f -> Character.isDigit(f.getFileName().toString().charAt(0)))
                    .toList();
        }
    }

    private int lastReserved(Ipv4Subnet subnet) throws IOException {
        try {
            return subnet.indexOf(Ipv4Subnet.address(
                    Files.readString(dir.resolve(LAST_RESERVED)).strip()));
        } catch (NoSuchFileException | IllegalArgumentException e) {
            return -1;
        }
    }
}
