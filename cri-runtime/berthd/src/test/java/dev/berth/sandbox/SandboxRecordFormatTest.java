package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.network.PortMapping;
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
 * Sandbox records as releases wrote them. {@code records/unversioned/} holds files the last release before
 * versioning wrote (its serialisation run on that commit: flat fields, the PodSandboxConfig as protobuf bytes);
 * {@code records/v1/} the current format. Both must load with every field, through the store as berthd loads them.
 * {@code v1/sandbox-ready} predates {@code cgroupParentsMade} (added within version 1, an optional field).
 */
class SandboxRecordFormatTest {

    @TempDir
    Path dir;

    private RecordStore<SandboxRecord> storeWith(String format, String... names) throws IOException {
        for (String name : names) {
            try (InputStream in = getClass().getResourceAsStream("/records/" + format + "/" + name + ".json")) {
                Files.copy(in, dir.resolve(name + ".json"));
            }
        }
        return new RecordStore<>(dir, new Json(), SandboxRecordFormat.format(), SandboxRecord::id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unversioned", "v1"})
    void aReadyPodLoadsWithEveryField(String format) throws Exception {
        SandboxRecord record =
                storeWith(format, "sandbox-ready").get("feed0001").orElseThrow();

        assertThat(record.version()).isEqualTo(SandboxRecord.FORMAT_VERSION);
        SandboxMetadata fixed = record.metadata();
        assertThat(fixed.id()).isEqualTo("feed0001");
        assertThat(fixed.reservedName()).isEqualTo("pod_ns_u1_1");
        assertThat(fixed.labels()).containsExactly(Map.entry("app", "web"));
        assertThat(fixed.annotations()).containsExactly(Map.entry("kubernetes.io/config.source", "api"));
        assertThat(fixed.runtimeHandler()).isEqualTo("runc");
        assertThat(fixed.cgroupPath()).isEqualTo("/kubepods/pod-u1");
        assertThat(fixed.cgroupParentsMade()).isEmpty();
        assertThat(fixed.createdAtNanos()).isEqualTo(1699999999000000000L);
        assertThat(fixed.namespaceModes()).isEqualTo(NamespaceModes.ALL_POD);
        assertThat(fixed.portMappings())
                .as("the mapping without a host port never reaches CNI")
                .containsExactly(new PortMapping("tcp", 80, 8080, "127.0.0.1"), new PortMapping("udp", 53, 5353, ""));
        assertThat(SandboxConfigs.parse(fixed).getHostname()).isEqualTo("pod-host");

        assertThat(record.status())
                .isEqualTo(new SandboxStatus(
                        SandboxState.READY,
                        "/run/berth/ns/feed0001/net",
                        "/run/berth/ns/feed0001/ipc",
                        "/run/berth/ns/feed0001/uts",
                        "/run/berth/ns/feed0001/pid",
                        4100,
                        "10.88.0.5",
                        List.of("fd00::5"),
                        null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unversioned", "v1"})
    void aStoppedHostNetworkPodLoadsWithItsNamespaceModes(String format) throws Exception {
        SandboxRecord record = storeWith(format, "sandbox-host-network-stopped")
                .get("feed0002")
                .orElseThrow();

        assertThat(record.metadata().namespaceModes())
                .isEqualTo(new NamespaceModes(
                        NamespaceModes.Mode.NODE, NamespaceModes.Mode.CONTAINER, NamespaceModes.Mode.NODE, ""));
        assertThat(record.metadata().portMappings()).containsExactly(new PortMapping("sctp", 9000, 9000, ""));
        assertThat(record.metadata().runtimeHandler()).isEmpty();
        assertThat(record.status())
                .isEqualTo(new SandboxStatus(SandboxState.NOTREADY, null, null, null, null, 0, "", List.of(), null));
    }

    @Test
    void anUnversionedRecordIsWrittenInTheCurrentFormatByItsNextUpdate() throws Exception {
        RecordStore<SandboxRecord> store = storeWith("unversioned", "sandbox-host-network-stopped");

        store.put(store.get("feed0002").orElseThrow().withState(SandboxState.NOTREADY));

        Json json = new Json();
        assertThat(json.mapper().readTree(dir.resolve("feed0002.json").toFile()))
                .isEqualTo(json.mapper()
                        .readTree(getClass().getResource("/records/v1/sandbox-host-network-stopped.json")));
    }
}
