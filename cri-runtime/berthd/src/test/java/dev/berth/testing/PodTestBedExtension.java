package dev.berth.testing;

import dev.berth.daemon.BerthConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link PodTestBed} of a pod test class: started before its first test, emptied and checked for leaks
 * after every test (after the class's own {@code @AfterEach} methods), closed after its last test.
 * <pre>{@code @RegisterExtension
 * static final PodTestBedExtension bed = new PodTestBedExtension("berthtest");}</pre>
 * Its accessors are valid from the class's {@code @BeforeAll} methods on, and so in instance field initialisers.
 */
public final class PodTestBedExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final String cgroupMarker;
    private final Function<Path, Map<String, BerthConfig.Runtime>> handlers;
    private final Check afterLeakCheck;
    private PodTestBed bed;

    /** What a test class checks after every test besides the leak check. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    public PodTestBedExtension(String cgroupMarker) {
        this(cgroupMarker, base -> Map.of(), () -> {});
    }

    /** With extra RuntimeClass handlers, made from the daemon's base directory. */
    public PodTestBedExtension(String cgroupMarker, Function<Path, Map<String, BerthConfig.Runtime>> handlers) {
        this(cgroupMarker, handlers, () -> {});
    }

    private PodTestBedExtension(
            String cgroupMarker, Function<Path, Map<String, BerthConfig.Runtime>> handlers, Check afterLeakCheck) {
        this.cgroupMarker = cgroupMarker;
        this.handlers = handlers;
        this.afterLeakCheck = afterLeakCheck;
    }

    /** Also runs {@code check} after every test, once its pods are gone and the leak check passed. */
    public PodTestBedExtension thenCheck(Check check) {
        return new PodTestBedExtension(cgroupMarker, handlers, check);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        bed = PodTestBed.start(cgroupMarker, handlers);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (bed != null) {
            bed.removePodsAndCheckForLeaks();
            afterLeakCheck.run();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (bed != null) {
            try {
                bed.close();
            } finally {
                bed = null;
            }
        }
    }

    private PodTestBed bed() {
        if (bed == null) {
            throw new IllegalStateException("the pod test bed of " + cgroupMarker + " is not started (register it with "
                    + "@RegisterExtension on a static field)");
        }
        return bed;
    }

    public DaemonFixture daemon() {
        return bed().daemon();
    }

    public PodClient pods() {
        return bed().pods();
    }

    public String busybox() {
        return bed().busybox();
    }

    /** Pushes {@code image} as {@code repo:1} and has berthd pull it; returns the reference. */
    public String pushAndPull(String repo, dev.berth.testkit.registry.TestImage image) throws Exception {
        return bed().pushAndPull(repo, image);
    }
}
