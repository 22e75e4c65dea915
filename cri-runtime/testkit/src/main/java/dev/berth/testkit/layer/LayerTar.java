package dev.berth.testkit.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds uncompressed layer tars for tests, entry by entry, in the order given:
 *
 * <pre>{@code
 * byte[] tar = LayerTar.create()
 *         .dir("etc", 0755)
 *         .file("etc/hostname", "box\n", 0644)
 *         .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
 *         .xattr("usr/bin/ping", "security.capability", capabilityBytes)
 *         .file("usr/bin/ping", pingBytes, 0755)
 *         .whiteout("var/cache/old")      // writes var/cache/.wh.old
 *         .opaque("opt")                  // writes opt/.wh..wh..opq
 *         .build();
 * }</pre>
 *
 * Entries default to root ownership and {@link #DEFAULT_MTIME}. The modifiers {@link #xattr},
 * {@link #mtime}, {@link #owner} and {@link #mode} apply to the latest entry already added under that
 * path (its name in the tar, without a trailing slash), or else to the next one added. Whatever a plain
 * ustar header cannot carry (names over 99 bytes or not ASCII, nanosecond mtimes, large ids, xattrs
 * byte for byte) goes into one PAX header written before the entry, as Go's archive/tar writes it.
 * {@link #raw} writes a hand-made entry as is, for hostile names ({@code ../x}, {@code /abs}).
 */
public final class LayerTar {

    public static final Instant DEFAULT_MTIME = Instant.parse("2024-01-02T03:04:05Z");
    public static final int SYMLINK_MODE = 0777;
    public static final int DEVICE_MODE = 0666;
    public static final int FIFO_MODE = 0644;

    private static final byte[] NO_CONTENT = new byte[0];
    private static final int USTAR_NAME_LIMIT = 99;
    private static final long USTAR_ID_LIMIT = 07777777L;

    private final List<Object> entries = new ArrayList<>();
    private final Map<String, Spec> latest = new HashMap<>();
    private final Map<String, List<Consumer<Spec>>> pending = new HashMap<>();

    private LayerTar() {}

    public static LayerTar create() {
        return new LayerTar();
    }

    /** A raw entry to pass to {@link #raw}: the name is kept as is, leading slash and all. */
    public static TarArchiveEntry entry(String name, byte linkFlag) {
        TarArchiveEntry entry = new TarArchiveEntry(name, linkFlag, true);
        entry.setModTime(FileTime.from(DEFAULT_MTIME));
        entry.setUserName("");
        entry.setGroupName("");
        return entry;
    }

    public LayerTar dir(String path, int mode) {
        return dir(path, mode, 0, 0, DEFAULT_MTIME);
    }

    public LayerTar dir(String path, int mode, int uid, int gid, Instant mtime) {
        Spec spec = new Spec(path.endsWith("/") ? path : path + "/", TarConstants.LF_DIR, mode);
        spec.uid = uid;
        spec.gid = gid;
        spec.mtime = mtime;
        return add(spec);
    }

    public LayerTar file(String path, byte[] content, int mode) {
        return file(path, content, mode, 0, 0);
    }

    public LayerTar file(String path, String content, int mode) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
    }

    public LayerTar file(String path, String content, int mode, int uid, int gid) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), mode, uid, gid);
    }

    public LayerTar file(String path, byte[] content, int mode, int uid, int gid) {
        Spec spec = new Spec(path, TarConstants.LF_NORMAL, mode);
        spec.content = content.clone();
        spec.uid = uid;
        spec.gid = gid;
        return add(spec);
    }

    /** The target is stored verbatim, absolute or not. */
    public LayerTar symlink(String path, String target) {
        Spec spec = new Spec(path, TarConstants.LF_SYMLINK, SYMLINK_MODE);
        spec.link = target;
        return add(spec);
    }

    /**
     * {@code target} is the tar name of an earlier entry; the link's header repeats that entry's mode,
     * owner and mtime, as tar writers do (an unpacker applies them to the shared inode).
     */
    public LayerTar hardlink(String path, String target) {
        Spec original = latest.get(trimSlashes(target));
        Spec spec = new Spec(path, TarConstants.LF_LINK, original == null ? 0644 : original.mode);
        spec.link = target;
        if (original != null) {
            spec.uid = original.uid;
            spec.gid = original.gid;
            spec.mtime = original.mtime;
        }
        return add(spec);
    }

    public LayerTar charDevice(String path, int major, int minor) {
        return device(path, TarConstants.LF_CHR, major, minor);
    }

    public LayerTar blockDevice(String path, int major, int minor) {
        return device(path, TarConstants.LF_BLK, major, minor);
    }

    public LayerTar fifo(String path) {
        return add(new Spec(path, TarConstants.LF_FIFO, FIFO_MODE));
    }

    /** Deletes {@code path} of the layers below: an empty file {@code <dir>/.wh.<name>}. */
    public LayerTar whiteout(String path) {
        String trimmed = trimSlashes(path);
        int slash = trimmed.lastIndexOf('/');
        String name = trimmed.substring(0, slash + 1) + ".wh." + trimmed.substring(slash + 1);
        return add(new Spec(name, TarConstants.LF_NORMAL, 0644));
    }

    /** Hides what the layers below have in {@code dir}: an empty file {@code <dir>/.wh..wh..opq}. */
    public LayerTar opaque(String dir) {
        String trimmed = trimSlashes(dir);
        return add(
                new Spec(trimmed.isEmpty() ? ".wh..wh..opq" : trimmed + "/.wh..wh..opq", TarConstants.LF_NORMAL, 0644));
    }

    /** A PAX {@code SCHILY.xattr.<name>} record, value byte for byte. */
    public LayerTar xattr(String path, String name, byte[] value) {
        byte[] copy = value.clone();
        return modify(path, spec -> spec.xattrs.put(name, copy));
    }

    public LayerTar xattr(String path, String name, String value) {
        return xattr(path, name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** With nanoseconds, which then travel in a PAX {@code mtime} record. */
    public LayerTar mtime(String path, Instant mtime) {
        return modify(path, spec -> spec.mtime = mtime);
    }

    public LayerTar owner(String path, int uid, int gid) {
        return modify(path, spec -> {
            spec.uid = uid;
            spec.gid = gid;
        });
    }

    public LayerTar mode(String path, int mode) {
        return modify(path, spec -> spec.mode = mode);
    }

    /**
     * A hand-made entry, written as is (see {@link #entry}); {@code content} for regular files, whose
     * size is set from it unless the entry already has one.
     */
    public LayerTar raw(TarArchiveEntry entry, byte[] content) {
        if (entry.getSize() == 0 && content.length > 0) {
            entry.setSize(content.length);
        }
        entries.add(new Raw(entry, content.clone()));
        return this;
    }

    public byte[] build() {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("modifiers for paths that no entry has: " + pending.keySet());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Object entry : entries) {
                if (entry instanceof Raw raw) {
                    write(tar, raw.entry(), raw.content());
                } else {
                    write(tar, (Spec) entry);
                }
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private LayerTar device(String path, byte type, int major, int minor) {
        Spec spec = new Spec(path, type, DEVICE_MODE);
        spec.devMajor = major;
        spec.devMinor = minor;
        return add(spec);
    }

    private LayerTar add(Spec spec) {
        String key = trimSlashes(spec.name);
        entries.add(spec);
        latest.put(key, spec);
        List<Consumer<Spec>> waiting = pending.remove(key);
        if (waiting != null) {
            waiting.forEach(modifier -> modifier.accept(spec));
        }
        return this;
    }

    private LayerTar modify(String path, Consumer<Spec> modifier) {
        String key = trimSlashes(path);
        Spec spec = latest.get(key);
        if (spec != null) {
            modifier.accept(spec);
        } else {
            pending.computeIfAbsent(key, k -> new ArrayList<>()).add(modifier);
        }
        return this;
    }

    private static void write(TarArchiveOutputStream tar, Spec spec) throws IOException {
        Map<String, byte[]> pax = new LinkedHashMap<>();
        String name = spec.name;
        if (needsPax(name)) {
            pax.put("path", name.getBytes(StandardCharsets.UTF_8));
            name = placeholder(name);
        }
        String link = spec.link;
        if (needsPax(link)) {
            pax.put("linkpath", link.getBytes(StandardCharsets.UTF_8));
            link = placeholder(link);
        }
        long seconds = spec.mtime.getEpochSecond();
        boolean mtimeInPax = spec.mtime.getNano() != 0 || seconds < 0 || seconds > 077777777777L;
        if (mtimeInPax) {
            pax.put("mtime", paxTime(spec.mtime).getBytes(StandardCharsets.US_ASCII));
        }
        if (spec.uid > USTAR_ID_LIMIT || spec.uid < 0) {
            pax.put("uid", Long.toString(spec.uid & 0xffff_ffffL).getBytes(StandardCharsets.US_ASCII));
        }
        if (spec.gid > USTAR_ID_LIMIT || spec.gid < 0) {
            pax.put("gid", Long.toString(spec.gid & 0xffff_ffffL).getBytes(StandardCharsets.US_ASCII));
        }
        spec.xattrs.forEach((key, value) -> pax.put("SCHILY.xattr." + key, value));
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            TarArchiveEntry header =
                    entry(placeholder("PaxHeaders/" + trimSlashes(spec.name)), TarConstants.LF_PAX_EXTENDED_HEADER_LC);
            header.setSize(records.length);
            write(tar, header, records);
        }
        TarArchiveEntry entry = entry(name, spec.type);
        entry.setMode(spec.mode & 07777);
        entry.setUserId(pax.containsKey("uid") ? 0 : spec.uid);
        entry.setGroupId(pax.containsKey("gid") ? 0 : spec.gid);
        entry.setModTime(FileTime.from(
                Instant.ofEpochSecond(mtimeInPax ? Math.max(0, Math.min(seconds, 077777777777L)) : seconds)));
        if (!link.isEmpty()) {
            entry.setLinkName(link);
        }
        if (spec.type == TarConstants.LF_CHR || spec.type == TarConstants.LF_BLK) {
            entry.setDevMajor(spec.devMajor);
            entry.setDevMinor(spec.devMinor);
        }
        entry.setSize(spec.content.length);
        write(tar, entry, spec.content);
    }

    private static void write(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] content) throws IOException {
        tar.putArchiveEntry(entry);
        if (content.length > 0) {
            tar.write(content);
        }
        tar.closeArchiveEntry();
    }

    private static boolean needsPax(String name) {
        if (name.length() > USTAR_NAME_LIMIT) {
            return true;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80 || name.charAt(i) == 0) {
                return true;
            }
        }
        return false;
    }

    /** What the ustar name field holds when the real name is in the PAX header. */
    private static String placeholder(String name) {
        StringBuilder ascii = new StringBuilder(USTAR_NAME_LIMIT);
        for (int i = 0; i < name.length() && ascii.length() < USTAR_NAME_LIMIT; i++) {
            char c = name.charAt(i);
            ascii.append(c >= 0x20 && c < 0x80 ? c : '_');
        }
        return ascii.toString();
    }

    private static String paxTime(Instant time) {
        long seconds = time.getEpochSecond();
        int nanos = time.getNano();
        if (seconds < 0 && nanos > 0) {
            return "-" + (-(seconds + 1)) + "." + String.format("%09d", 1_000_000_000 - nanos);
        }
        return seconds + (nanos == 0 ? "" : "." + String.format("%09d", nanos));
    }

    /** {@code "<length> <key>=<value>\n"}, where the length counts the whole record, itself included. */
    private static byte[] paxRecords(Map<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach((key, value) -> {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            int rest = 1 + keyBytes.length + 1 + value.length + 1;
            int length = rest + 1;
            while (Integer.toString(length).length() + rest != length) {
                length = Integer.toString(length).length() + rest;
            }
            out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(keyBytes);
            out.write('=');
            out.writeBytes(value);
            out.write('\n');
        });
        return out.toByteArray();
    }

    private static String trimSlashes(String path) {
        String trimmed = path;
        while (trimmed.startsWith("./")) {
            trimmed = trimmed.substring(2);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static final class Spec {
        final String name;
        final byte type;
        int mode;
        int uid;
        int gid;
        Instant mtime = DEFAULT_MTIME;
        String link = "";
        byte[] content = NO_CONTENT;
        int devMajor;
        int devMinor;
        final Map<String, byte[]> xattrs = new LinkedHashMap<>();

        Spec(String name, byte type, int mode) {
            this.name = name;
            this.type = type;
            this.mode = mode;
        }
    }

    private record Raw(TarArchiveEntry entry, byte[] content) {}
}
