package dev.berth.testing;

import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.store.Directories;
import dev.berth.testkit.cri.BerthdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * berthd as its own process on one base directory, to be SIGKILLed and started again on the same root and state:
 * its own network (a conflist may be dropped in {@link #confDir}, plugins in {@link #pluginDir}), RuntimeClass
 * handlers that are scripts of the test's, and the image it pulls on every start (a no-op after the first).
 */
public final class RestartBed implements AutoCloseable {

    private final Path base;
    private final PodNetworkFixture network;
    private final String cgroupMarker;
    private final String image;
    private final Map<String, Path> handlers = new LinkedHashMap<>();
    private BerthdProcess berthd;

    public RestartBed(String prefix, String cgroupMarker, String image) throws IOException {
        this.base = Files.createTempDirectory(prefix);
        this.network = PodNetworkFixture.random(base);
        this.cgroupMarker = cgroupMarker;
        this.image = image;
        Files.createDirectories(network.confDir());
        Files.createDirectories(pluginDir());
    }

    public Path base() {
        return base;
    }

    public PodNetworkFixture network() {
        return network;
    }

    public Path confDir() {
        return network.confDir();
    }

    /** Searched before the host's CNI plugin dirs. */
    public Path pluginDir() {
        return base.resolve("plugins");
    }

    /** An executable script of {@code text} at {@code file}. */
    public static Path script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** A RuntimeClass handler {@code name} running the OCI runtime script {@code text}; effective from the next start. */
    public void handler(String name, String text) throws IOException {
        handlers.put(name, script(base.resolve(name + "-runtime"), text));
    }

    /** Starts berthd (returns once its socket exists) and has it pull the image. */
    public BerthdProcess start() throws Exception {
        StringBuilder runtimes = new StringBuilder();
        handlers.forEach((name, path) -> runtimes.append("  ")
                .append(name)
                .append(":\n    path: ")
                .append(path)
                .append('\n'));
        Path config = base.resolve("berth.yaml");
        Files.writeString(
                config,
                """
                network:
                  confDir: %s
                  pluginDirs: [%s, /usr/lib/cni, /opt/cni/bin]
                  bridge: %s
                  subnet: %s
                """.formatted(network.confDir(), pluginDir(), network.bridge(), network.subnet())
                        + (handlers.isEmpty() ? "" : "runtimes:\n" + runtimes));
        berthd = BerthdProcess.start(
                BerthdProcess.LAUNCHER_JVM_FLAGS,
                config,
                base.resolve("root"),
                base.resolve("state"),
                base.resolve("berthd.log"));
        try {
            berthd.images()
                    .pullImage(PullImageRequest.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(image))
                            .build());
        } catch (RuntimeException e) {
            throw new AssertionError("berthd did not answer; its log:\n" + log(), e);
        }
        return berthd;
    }

    public BerthdProcess berthd() {
        return berthd;
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return berthd.runtime();
    }

    public PodClient pods() {
        return new PodClient(() -> berthd.runtime(), base.resolve("logs"), cgroupMarker);
    }

    /** SIGKILL. */
    public void kill() throws InterruptedException {
        berthd.kill();
    }

    public String log() {
        return BerthdProcess.log(base);
    }

    /** Removes every pod, stops berthd, and asserts nothing of the pods is left on the node. */
    public void removeAllAndCheckForLeaks() throws Exception {
        for (var pod : berthd.runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsList()) {
            berthd.runtime()
                    .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                            .setPodSandboxId(pod.getId())
                            .build());
        }
        berthd.close();
        LeakCheck.assertNothingLeft(base, network, cgroupMarker);
    }

    /** Stops berthd and removes whatever a failed test left, then the base directory. */
    @Override
    public void close() throws Exception {
        try {
            if (berthd != null && berthd.process().isAlive()) {
                try {
                    for (var pod : berthd.runtime()
                            .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                            .getItemsList()) {
                        berthd.runtime()
                                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                        .setPodSandboxId(pod.getId())
                                        .build());
                    }
                } catch (RuntimeException e) {
                    // a failed test's berthd: whatever it cannot remove is unmounted below
                }
            }
            if (berthd != null) {
                berthd.close();
            }
        } finally {
            LeakCheck.unmountEverythingUnder(base);
            network.deleteBridge();
            Directories.deleteRecursively(base);
        }
    }
}
