package dev.berth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.store.Json;
import dev.berth.store.RecordFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Sandbox records on disk: version {@value SandboxRecord#FORMAT_VERSION}, and the flat, unversioned records that
 * releases before it wrote (their pods may still be running, so they must load). An unversioned record is migrated
 * in memory and written in the current format by its next update.
 */
public final class SandboxRecordFormat {

    private SandboxRecordFormat() {}

    public static RecordFormat<SandboxRecord> format() {
        return new RecordFormat<>(
                SandboxRecord.class, SandboxRecord.FORMAT_VERSION, SandboxRecordFormat::fromUnversioned);
    }

    /** The shape releases before versioning wrote: one flat object, the PodSandboxConfig as protobuf bytes. */
    private record Unversioned(
            String id,
            String name,
            String namespace,
            String uid,
            int attempt,
            Map<String, String> labels,
            Map<String, String> annotations,
            String runtimeHandler,
            long createdAtNanos,
            SandboxState state,
            String netnsPath,
            String ipcnsPath,
            String utsnsPath,
            String pidnsPath,
            int pidNamespaceHolder,
            String ip,
            List<String> additionalIps,
            String cgroupPath,
            byte[] config) {}

    static SandboxRecord fromUnversioned(JsonNode node, Json json) throws IOException {
        Unversioned old = json.mapper().treeToValue(node, Unversioned.class);
        PodSandboxConfig config =
                old.config() == null ? PodSandboxConfig.getDefaultInstance() : PodSandboxConfig.parseFrom(old.config());
        SandboxMetadata metadata = new SandboxMetadata(
                old.id(),
                old.name(),
                old.namespace(),
                old.uid(),
                old.attempt(),
                old.labels(),
                old.annotations(),
                old.runtimeHandler(),
                old.cgroupPath(),
                List.of(),
                SandboxConfigs.namespaceModes(config),
                SandboxConfigs.portMappings(config),
                old.createdAtNanos(),
                old.config());
        SandboxStatus status = new SandboxStatus(
                old.state(),
                old.netnsPath(),
                old.ipcnsPath(),
                old.utsnsPath(),
                old.pidnsPath(),
                old.pidNamespaceHolder(),
                old.ip(),
                old.additionalIps(),
                null);
        return new SandboxRecord(SandboxRecord.FORMAT_VERSION, metadata, status);
    }
}
