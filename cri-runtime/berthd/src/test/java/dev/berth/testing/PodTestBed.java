package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.daemon.BerthConfig;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What a pod test class shares: a real docker-registry with the busybox image pushed, an in-process berthd
 * that has pulled it, and a {@link PodClient} whose pods live under cgroups named after {@code cgroupMarker}.
 */
public final class PodTestBed implements AutoCloseable {

    private final RegistryFixture registry;
    private final ImagePusher pusher;
    private final DaemonFixture daemon;
    private final PodClient pods;
    private final String cgroupMarker;
    private final String busybox;

    private PodTestBed(RegistryFixture registry, DaemonFixture daemon, String cgroupMarker) throws Exception {
        this.registry = registry;
        this.pusher = new ImagePusher(registry);
        this.daemon = daemon;
        this.cgroupMarker = cgroupMarker;
        this.pods = new PodClient(daemon::runtime, daemon.base().resolve("logs"), cgroupMarker);
        this.busybox = pushAndPull("test/busybox", BusyboxImage.fromHost().image());
    }

    /** Skips (or fails in CI) without root, docker-registry or conmon. */
    public static PodTestBed start(String cgroupMarker) throws Exception {
        return start(cgroupMarker, base -> Map.of());
    }

    /** With extra RuntimeClass handlers, made from the daemon's base directory. */
    public static PodTestBed start(String cgroupMarker, Function<Path, Map<String, BerthConfig.Runtime>> handlers)
            throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        Privileges.require(
                Files.isExecutable(Path.of("/usr/bin/conmon")), "conmon is not installed (apt-get install conmon)");
        RegistryFixture registry = RegistryFixture.start();
        try {
            return new PodTestBed(registry, DaemonFixture.startWithRuntimes(handlers), cgroupMarker);
        } catch (Exception | Error e) {
            registry.close();
            throw e;
        }
    }

    /** Pushes {@code image} as {@code repo:1} and has berthd pull it; returns the reference. */
    public String pushAndPull(String repo, TestImage image) throws Exception {
        String reference = pusher.pushImage(repo, "1", image).reference();
        daemon.images()
                .pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(reference))
                        .build());
        return reference;
    }

    public String busybox() {
        return busybox;
    }

    public DaemonFixture daemon() {
        return daemon;
    }

    public PodClient pods() {
        return pods;
    }

    /** Removes every pod, then asserts that nothing of them is left on the node. */
    public void removePodsAndCheckForLeaks() throws Exception {
        daemon.removeAllPods();
        assertThat(daemon.runtime()
                        .listContainers(ListContainersRequest.getDefaultInstance())
                        .getContainersList())
                .isEmpty();
        LeakCheck.assertNothingLeft(daemon.base(), daemon.network(), cgroupMarker);
    }

    @Override
    public void close() throws Exception {
        try {
            daemon.close();
        } finally {
            registry.close();
        }
    }
}
