package dev.berth.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cri.v1.LinuxPodSandboxStatus;
import dev.berth.cri.v1.Namespace;
import dev.berth.cri.v1.PodIP;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxFilter;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.PodSandboxNetworkStatus;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.PodSandboxStatus;
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
        return PodSandboxMetadata.newBuilder().setName(record.name()).setNamespace(record.namespace())
                .setUid(record.uid()).setAttempt(record.attempt()).build();
    }

    PodSandbox sandbox(SandboxRecord record) {
        return PodSandbox.newBuilder()
                .setId(record.id())
                .setMetadata(metadata(record))
                .setState(state(record.state()))
                .setCreatedAt(record.createdAtNanos())
                .putAllLabels(record.labels())
                .putAllAnnotations(record.annotations())
                .setRuntimeHandler(record.runtimeHandler())
                .build();
    }

    PodSandboxStatus status(SandboxRecord record) {
        PodSandboxConfig config = SandboxConfigs.parse(record);
        PodSandboxNetworkStatus.Builder network = PodSandboxNetworkStatus.newBuilder().setIp(record.ip());
        record.additionalIps().forEach(ip -> network.addAdditionalIps(PodIP.newBuilder().setIp(ip)));
        return PodSandboxStatus.newBuilder()
                .setId(record.id())
                .setMetadata(metadata(record))
                .setState(state(record.state()))
                .setCreatedAt(record.createdAtNanos())
                .setNetwork(network)
                .setLinux(LinuxPodSandboxStatus.newBuilder().setNamespaces(Namespace.newBuilder()
                        .setOptions(config.getLinux().getSecurityContext().getNamespaceOptions())))
                .putAllLabels(record.labels())
                .putAllAnnotations(record.annotations())
                .setRuntimeHandler(record.runtimeHandler())
                .build();
    }

    /** What {@code crictl inspectp} prints under "info", in the spirit of containerd's. */
    String verboseInfo(SandboxRecord record) {
        ObjectNode info = json.mapper().createObjectNode();
        info.put("sandboxID", record.id());
        info.put("runtimeHandler", record.runtimeHandler());
        info.put("cgroupPath", record.cgroupPath());
        ObjectNode namespaces = info.putObject("namespaces");
        namespaces.put("network", record.netnsPath());
        namespaces.put("ipc", record.ipcnsPath());
        namespaces.put("uts", record.utsnsPath());
        namespaces.put("pid", record.pidnsPath());
        if (record.pidNamespaceHolder() > 0) {
            info.put("pidNamespaceHolderPid", record.pidNamespaceHolder());
        }
        try {
            info.set("config", json.mapper().readTree(com.google.protobuf.util.JsonFormat.printer()
                    .print(SandboxConfigs.parse(record))));
        } catch (java.io.IOException e) {
            info.put("config", "unprintable: " + e.getMessage());
        }
        return json.toPrettyString(info);
    }

    static Predicate<SandboxRecord> filter(PodSandboxFilter filter) {
        return record -> (filter.getId().isEmpty() || record.id().startsWith(filter.getId()))
                && (!filter.hasState() || state(record.state()) == filter.getState().getState())
                && LabelSelectors.match(record.labels(), filter.getLabelSelectorMap());
    }
}
