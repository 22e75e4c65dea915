package dev.berth.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.oci.ResolvedUser;
import dev.berth.store.Json;
import dev.berth.store.RecordStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Container records as releases wrote them. {@code records/unversioned/} holds files the last release before
 * versioning wrote (its serialisation run on that commit: flat fields, config and resources as protobuf bytes);
 * {@code records/v1/} the current format. Both must load with every field, through the store as berthd loads them.
 */
class ContainerRecordFormatTest {

    private static final String IMAGE = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    private RecordStore<ContainerRecord> storeWith(String format, String... names) throws IOException {
        for (String name : names) {
            try (InputStream in = getClass().getResourceAsStream("/records/" + format + "/" + name + ".json")) {
                Files.copy(in, dir.resolve(name + ".json"));
            }
        }
        return new RecordStore<>(dir, new Json(), ContainerRecordFormat.format(), ContainerRecord::id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unversioned", "v1"})
    void anExitedContainerLoadsWithEveryField(String format) throws Exception {
        ContainerRecord record =
                storeWith(format, "container-exited").get("c0ffee01").orElseThrow();

        assertThat(record.version()).isEqualTo(ContainerRecord.FORMAT_VERSION);
        ContainerMetadata fixed = record.metadata();
        assertThat(fixed.id()).isEqualTo("c0ffee01");
        assertThat(fixed.sandboxId()).isEqualTo("feed0001");
        assertThat(fixed.name()).isEqualTo("web");
        assertThat(fixed.attempt()).isEqualTo(2);
        assertThat(fixed.image()).isEqualTo(IMAGE);
        assertThat(fixed.imageName()).isEqualTo("registry.test/web:1");
        assertThat(fixed.userSpecifiedImage()).isEqualTo("registry.test/web:1");
        assertThat(fixed.imageId()).isEqualTo(IMAGE);
        assertThat(fixed.imageRef()).isEqualTo("registry.test/web@sha256:" + "cd".repeat(32));
        assertThat(fixed.labels()).containsExactly(Map.entry("io.kubernetes.container.name", "web"));
        assertThat(fixed.annotations()).containsExactly(Map.entry("io.kubernetes.container.restartCount", "2"));
        assertThat(fixed.runtimeHandler()).isEqualTo("runc");
        assertThat(fixed.cgroupPath()).isEqualTo("/kubepods/pod-u1/c0ffee01");
        assertThat(fixed.logPath()).isEqualTo("/var/log/pods/ns_pod_u1/web/2.log");
        assertThat(fixed.stopSignal()).isEqualTo(15);
        assertThat(fixed.snapshots()).containsExactly("sha256:" + "11".repeat(32), "sha256:" + "22".repeat(32));
        assertThat(fixed.mounts())
                .containsExactly(
                        new ContainerMount(
                                "/data",
                                "/var/lib/kubelet/pods/u1/volumes/data",
                                true,
                                false,
                                ContainerMount.Propagation.HOST_TO_CONTAINER,
                                false),
                        new ContainerMount(
                                "/etc/hosts",
                                "/var/lib/kubelet/pods/u1/etc-hosts",
                                false,
                                true,
                                ContainerMount.Propagation.PRIVATE,
                                false));
        assertThat(fixed.createdAtNanos()).isEqualTo(1700000000000000000L);
        ContainerConfig config = ContainerConfigs.parse(fixed);
        assertThat(config.getCommandList()).containsExactly("/bin/sh");
        assertThat(config.getArgsList()).containsExactly("-c", "sleep 1000");

        assertThat(record.status())
                .isEqualTo(new ContainerStatus(
                        ContainerState.EXITED,
                        1700000001000000000L,
                        1700000002000000000L,
                        137,
                        "OOMKilled",
                        "out of memory",
                        4242,
                        4243,
                        new ResolvedUser(1000, 1000, List.of(1000L, 50L)),
                        new ContainerResources(
                                100000,
                                20000,
                                512,
                                64L << 20,
                                980,
                                "0",
                                "",
                                Map.of("2MB", 0L),
                                Map.of("memory.high", "50000000"),
                                128L << 20),
                        null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unversioned", "v1"})
    void aRunningContainerLoadsAsRunning(String format) throws Exception {
        ContainerRecord record =
                storeWith(format, "container-running").get("c0ffee01").orElseThrow();

        assertThat(record.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(record.isLive()).isTrue();
        assertThat(record.status().startedAtNanos()).isEqualTo(1700000001000000000L);
        assertThat(record.status().finishedAtNanos()).isZero();
        assertThat(record.status().pid()).isEqualTo(4243);
        assertThat(record.status().resources().cpuShares())
                .as("the update in force, not the create's 256")
                .isEqualTo(512);
    }

    @Test
    void anUnversionedRecordIsWrittenInTheCurrentFormatByItsNextUpdate() throws Exception {
        RecordStore<ContainerRecord> store = storeWith("unversioned", "container-running");

        store.put(store.get("c0ffee01").orElseThrow().exited(1700000002000000000L, 137, "OOMKilled", "out of memory"));

        Json json = new Json();
        assertThat(json.mapper().readTree(dir.resolve("c0ffee01.json").toFile()))
                .isEqualTo(json.mapper().readTree(getClass().getResource("/records/v1/container-exited.json")));
    }
}
