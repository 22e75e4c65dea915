package dev.berth.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cri.v1.LinuxPodSandboxStatus;
import dev.berth.cri.v1.Namespace;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodIP;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxFilter;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.PodSandboxNetworkStatus;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.PodSandboxStatus;
import dev.berth.sandbox.NamespaceModes;
import dev.berth.sandbox.SandboxConfigs;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxState;
import dev.berth.store.Json;
import java.util.function.Predicate;

/** Maps sandbox records to CRI messages and CRI sandbox filters to predicates. */
final class SandboxProtos {

    private final Json json;

    SandboxProtos(Json json) {
        this.json = json;
    }

    static PodSandboxState state(SandboxState state) {
        return state == SandboxState.READY ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
    }

    static PodSandboxMetadata metadata(SandboxRecord record) {
        var fixed = record.metadata();
        return PodSandboxMetadata.newBuilder()
                .setName(fixed.name())
                .setNamespace(fixed.namespace())
                .setUid(fixed.uid())
                .setAttempt(fixed.attempt())
                .build();
    }

    PodSandbox sandbox(SandboxRecord record) {
        return PodSandbox.newBuilder()
                .setId(record.id())
                .setMetadata(metadata(record))
                .setState(state(record.state()))
                .setCreatedAt(record.metadata().createdAtNanos())
                .putAllLabels(record.metadata().labels())
                .putAllAnnotations(record.metadata().annotations())
                .setRuntimeHandler(record.runtimeHandler())
                .build();
    }

    PodSandboxStatus status(SandboxRecord record) {
        PodSandboxNetworkStatus.Builder network =
                PodSandboxNetworkStatus.newBuilder().setIp(record.status().ip());
        record.status()
                .additionalIps()
                .forEach(ip -> network.addAdditionalIps(PodIP.newBuilder().setIp(ip)));
        return PodSandboxStatus.newBuilder()
                .setId(record.id())
                .setMetadata(metadata(record))
                .setState(state(record.state()))
                .setCreatedAt(record.metadata().createdAtNanos())
                .setNetwork(network)
                .setLinux(LinuxPodSandboxStatus.newBuilder()
                        .setNamespaces(Namespace.newBuilder()
                                .setOptions(namespaceOptions(record.metadata().namespaceModes()))))
                .putAllLabels(record.metadata().labels())
                .putAllAnnotations(record.metadata().annotations())
                .setRuntimeHandler(record.runtimeHandler())
                .build();
    }

    private static NamespaceOption namespaceOptions(NamespaceModes modes) {
        return NamespaceOption.newBuilder()
                .setNetwork(mode(modes.network()))
                .setPid(mode(modes.pid()))
                .setIpc(mode(modes.ipc()))
                .setTargetId(modes.targetId())
                .build();
    }

    private static NamespaceMode mode(NamespaceModes.Mode mode) {
        return switch (mode) {
            case POD -> NamespaceMode.POD;
            case CONTAINER -> NamespaceMode.CONTAINER;
            case NODE -> NamespaceMode.NODE;
            case TARGET -> NamespaceMode.TARGET;
        };
    }

    /**
     * What {@code crictl inspectp} prints under "info", in the spirit of containerd's. The one place the record's
     * verbatim config is parsed.
     */
    String verboseInfo(SandboxRecord record) {
        ObjectNode info = json.mapper().createObjectNode();
        info.put("sandboxID", record.id());
        info.put("runtimeHandler", record.runtimeHandler());
        info.put("cgroupPath", record.cgroupPath());
        ObjectNode namespaces = info.putObject("namespaces");
        namespaces.put("network", record.status().netnsPath());
        namespaces.put("ipc", record.status().ipcnsPath());
        namespaces.put("uts", record.status().utsnsPath());
        namespaces.put("pid", record.status().pidnsPath());
        if (record.owesTeardown()) {
            // why a pod stays NOTREADY: a removal failed, RemovePodSandbox (or the next start) retries it
            info.put("teardownError", record.status().teardownError());
        }
        if (record.status().pidNamespaceHolder() > 0) {
            info.put("pidNamespaceHolderPid", record.status().pidNamespaceHolder());
        }
        try {
            info.set(
                    "config",
                    json.mapper()
                            .readTree(com.google.protobuf.util.JsonFormat.printer()
                                    .print(SandboxConfigs.parse(record.metadata()))));
        } catch (java.io.IOException e) {
            info.put("config", "unprintable: " + e.getMessage());
        }
        return json.toPrettyString(info);
    }

    static Predicate<SandboxRecord> filter(PodSandboxFilter filter) {
        return record -> (filter.getId().isEmpty() || record.id().startsWith(filter.getId()))
                && (!filter.hasState()
                        || state(record.state()) == filter.getState().getState())
                && LabelSelectors.match(record.metadata().labels(), filter.getLabelSelectorMap());
    }
}
