package dev.berth.testkit.layer;

import dev.berth.testkit.registry.Processes;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The smallest image that runs real programs: the host's static busybox at /bin/busybox, one symlink
 * per applet (/bin/sh, /bin/sleep, …), and /etc/passwd and /etc/group with root, nobody and the
 * unprivileged user {@code app} (uid and gid {@value #APP_UID}). The same tree is available as a layer
 * tar (for images pushed to a registry) and as a plain directory (for an OCI bundle's rootfs), so
 * every runtime under test runs byte-identical files.
 */
public final class BusyboxImage {

    public static final Path BUSYBOX = Path.of("/bin/busybox");
    public static final int APP_UID = 1000;
    public static final String APP_USER = "app";

    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            app:x:1000:1000:app:/home/app:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            """;
    private static final String GROUP = """
            root:x:0:
            app:x:1000:
            nogroup:x:65534:
            """;
    /** Directories a container expects to exist before the runtime mounts anything, with their modes. */
    private static final List<Dir> DIRS = List.of(
            new Dir("bin", 0755),
            new Dir("etc", 0755),
            new Dir("dev", 0755),
            new Dir("proc", 0555),
            new Dir("sys", 0555),
            new Dir("root", 0700),
            new Dir("tmp", 01777),
            new Dir("var", 0755),
            new Dir("home", 0755));

    private final byte[] busybox;
    private final List<String> applets;

    private BusyboxImage(byte[] busybox, List<String> applets) {
        this.busybox = busybox;
        this.applets = applets;
    }

    /** Reads the host's busybox; fails with the package to install when it is missing or not static. */
    public static BusyboxImage fromHost() throws IOException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException(BUSYBOX + " not found; install it: apt-get install busybox-static");
        }
        // A dynamic busybox would need the host's libc inside the image, and fail there with "not found".
        String applets = Processes.run(List.of(BUSYBOX.toString(), "--list"), 10);
        if (!applets.lines().toList().contains("sleep")) {
            throw new IllegalStateException(BUSYBOX + " --list has no sleep applet; install busybox-static");
        }
        return new BusyboxImage(
                Files.readAllBytes(BUSYBOX),
                applets.lines()
                        .map(String::strip)
                        .filter(a -> !a.isEmpty() && !a.equals("busybox"))
                        .toList());
    }

    public List<String> applets() {
        return applets;
    }

    /** The whole tree as one uncompressed layer tar. */
    public byte[] layerTar() {
        return layer().build();
    }

    /** The whole tree as a layer still open for more entries. */
    public LayerTar layer() {
        LayerTar tar = LayerTar.create();
        DIRS.forEach(dir -> tar.dir(dir.name(), dir.mode()));
        tar.dir("home/app", 0755, APP_UID, APP_UID, LayerTar.DEFAULT_MTIME);
        tar.file("bin/busybox", busybox, 0755);
        applets.forEach(applet -> tar.symlink("bin/" + applet, "busybox"));
        tar.file("etc/passwd", PASSWD, 0644);
        tar.file("etc/group", GROUP, 0644);
        return tar;
    }

    /** An OCI image of that one gzip layer, running {@code cmd} (the image's CMD) when given. */
    public TestImage image(String... cmd) {
        TestImage.Builder builder = TestImage.builder().layer(layerTar(), TestLayer.Compression.GZIP);
        if (cmd.length > 0) {
            builder.cmd(cmd);
        }
        return builder.build();
    }

    /**
     * Writes the same tree into {@code rootfs} (created if missing), e.g. as an OCI bundle's rootfs;
     * /home/app belongs to app only when this runs as root.
     */
    public void writeRootfs(Path rootfs) throws IOException {
        Files.createDirectories(rootfs);
        for (Dir dir : DIRS) {
            // unix:mode rather than PosixFilePermissions: only it carries /tmp's sticky bit.
            Files.setAttribute(Files.createDirectories(rootfs.resolve(dir.name())), "unix:mode", dir.mode());
        }
        Path home = Files.createDirectories(rootfs.resolve("home/app"));
        if ("root".equals(System.getProperty("user.name"))) {
            Files.setAttribute(home, "unix:uid", APP_UID);
            Files.setAttribute(home, "unix:gid", APP_UID);
        }
        Path binary = rootfs.resolve("bin/busybox");
        Files.write(binary, busybox);
        Files.setAttribute(binary, "unix:mode", 0755);
        for (String applet : applets) {
            Path link = rootfs.resolve("bin").resolve(applet);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), GROUP);
    }

    private record Dir(String name, int mode) {}
}
