package dev.berth.operator.ociimage;

import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.MediaTypes;
import dev.berth.operator.ociimage.OciLayoutWriter.LayerBlob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The berth-operator image, from the shaded jar alone: three layers (the build host's libraries and a
 * minimal /etc, a jlink-ed JRE, the jar) with no base image, so no registry and no Docker are needed. The
 * same jar on the same build host gives the same manifest digest.
 */
public final class OperatorImage {
    public static final String JAVA_HOME = "/opt/java";
    public static final String JAR = "/opt/berth/berth-operator.jar";
    /**
     * A small, mostly idle controller: serial GC, heap up to 75 % of the container's memory limit. Arguments
     * replace {@link #CMD}, so a container given {@code --help} prints the usage.
     */
    public static final List<String> ENTRYPOINT =
            List.of(JAVA_HOME + "/bin/java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-jar", JAR);

    public static final List<String> CMD = List.of("operator");
    /** distroless's nonroot, the uid the chart runs the operator and node agent as. */
    public static final String USER = "65532:65532";

    private static final String NATIVES = "META-INF/native/";

    private final JreLinker linker = new JreLinker();
    private final HostLibraries libraries = new HostLibraries();

    /** Writes the image for {@code operatorJar} into the layout directory {@code layout}, tagged {@code tag}. */
    public BuiltImage build(Path operatorJar, Path layout, String tag) throws IOException {
        if (!Files.isRegularFile(operatorJar)) {
            throw new IOException("no operator jar at " + operatorJar
                    + "; build it: ./mvnw -B -q -DskipTests -pl operator/controller -am package");
        }
        Path parent = layout.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, "oci-work-");
        try {
            List<LayerBuilder> built = layers(operatorJar, work);
            OciLayoutWriter out = OciLayoutWriter.create(layout);
            List<LayerBlob> layers = new ArrayList<>();
            for (LayerBuilder layer : built) {
                layers.add(out.addLayer(layer));
            }
            Descriptor config = out.addJson(MediaTypes.OCI_CONFIG, config(layers, tag));
            Descriptor manifest = out.addJson(MediaTypes.OCI_MANIFEST, manifest(config, layers));
            out.writeIndex(manifest, tag);
            long size = config.size()
                    + manifest.size()
                    + layers.stream().mapToLong(l -> l.descriptor().size()).sum();
            return new BuiltImage(layout, tag, manifest.digest(), size);
        } finally {
            Trees.delete(work);
        }
    }

    /**
     * The same image's parts as a build context for {@code operator/Dockerfile} ({@code berth build}): the
     * system and JRE layers as the tars {@code system.tar} and {@code jre.tar} (which the Dockerfile's
     * {@code ADD} unpacks, owners, modes and links as in the layout's layers) and the jar.
     */
    public void writeContext(Path operatorJar, Path dir) throws IOException {
        if (!Files.isRegularFile(operatorJar)) {
            throw new IOException("no operator jar at " + operatorJar
                    + "; build it: ./mvnw -B -q -DskipTests -pl operator/controller -am package");
        }
        Path target = dir.toAbsolutePath();
        if (Files.exists(target)) {
            Trees.delete(target);
        }
        Files.createDirectories(target);
        Path work = Files.createTempDirectory(target.getParent(), "context-work-");
        try {
            List<LayerBuilder> layers = layers(operatorJar, work);
            try (var out = Files.newOutputStream(target.resolve("system.tar"))) {
                layers.get(0).writeTar(out);
            }
            try (var out = Files.newOutputStream(target.resolve("jre.tar"))) {
                layers.get(1).writeTar(out);
            }
            Files.copy(operatorJar, target.resolve("berth-operator.jar"));
        } finally {
            Trees.delete(work);
        }
    }

    /** The three layers: the host's libraries and a minimal /etc, the JRE, the jar. */
    private List<LayerBuilder> layers(Path operatorJar, Path work) throws IOException {
        Path jre = work.resolve("jre");
        linker.link(linker.modules(operatorJar), jre);
        List<Path> elfFiles = new ArrayList<>(HostLibraries.elfFilesBelow(jre));
        elfFiles.addAll(extractNatives(operatorJar, work.resolve("natives")));
        Set<Path> hostLibraries = libraries.neededBy(elfFiles, jre);
        return List.of(
                system(hostLibraries),
                new LayerBuilder("JRE " + Runtime.version() + " linked by jlink at " + JAVA_HOME).tree(JAVA_HOME, jre),
                new LayerBuilder("berth-operator jar at " + JAR).file(JAR, operatorJar));
    }

    /** The name and digest of a written image, and its size as a registry stores it (compressed). */
    public record BuiltImage(Path layout, String tag, Digest manifestDigest, long size) {}

    /** The host's libraries where the loader looks for them, and the little of /etc a JVM reads. */
    private static LayerBuilder system(Set<Path> hostLibraries) throws IOException {
        LayerBuilder layer = new LayerBuilder("shared libraries of the build host: " + hostLibraries);
        for (Path library : hostLibraries) {
            layer.file(library.toString(), library);
        }
        return layer.file("/etc/passwd", text("""
                        root:x:0:0:root:/root:/sbin/nologin
                        nonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin
                        """), 0644)
                .file("/etc/group", text("root:x:0:\nnonroot:x:65532:\n"), 0644)
                // without it glibc would ask DNS before /etc/hosts, which kubelet writes
                .file("/etc/nsswitch.conf", text("passwd: files\ngroup: files\nhosts: files dns\n"), 0644)
                .dir("/tmp", 01777);
    }

    private static Map<String, Object> config(List<LayerBlob> layers, String tag) {
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("User", USER);
        runtime.put(
                "Env",
                List.of(
                        "PATH=" + JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "JAVA_HOME=" + JAVA_HOME,
                        "LANG=C.UTF-8"));
        runtime.put("Entrypoint", ENTRYPOINT);
        runtime.put("Cmd", CMD);
        runtime.put("WorkingDir", "/");
        runtime.put(
                "Labels",
                Map.of("org.opencontainers.image.title", "berth-operator", "org.opencontainers.image.version", tag));
        String created = Instant.EPOCH.toString();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("created", created);
        config.put("architecture", architecture());
        config.put("os", "linux");
        config.put("config", runtime);
        config.put(
                "rootfs",
                Map.of(
                        "type",
                        "layers",
                        "diff_ids",
                        layers.stream().map(l -> l.diffId().toString()).toList()));
        config.put(
                "history",
                layers.stream()
                        .map(l -> Map.of("created", created, "created_by", l.description()))
                        .toList());
        return config;
    }

    private static Map<String, Object> manifest(Descriptor config, List<LayerBlob> layers) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", OciLayoutWriter.descriptor(config));
        manifest.put(
                "layers",
                layers.stream()
                        .map(l -> OciLayoutWriter.descriptor(l.descriptor()))
                        .toList());
        return manifest;
    }

    /** The image's architecture: the build host's, whose libraries and JRE it carries. */
    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> throw new IllegalStateException("no OCI architecture name for os.arch " + arch);
        };
    }

    /** The jar's bundled JNI libraries (Netty's epoll transport), which its code unpacks and loads at run time. */
    private static List<Path> extractNatives(Path jar, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> natives = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith(NATIVES) && name.endsWith(".so")) {
                    Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
                    Files.write(target, zip.readAllBytes()); // reads to the end of this entry only
                    natives.add(target);
                }
            }
        }
        return natives;
    }

    private static byte[] text(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }
}
