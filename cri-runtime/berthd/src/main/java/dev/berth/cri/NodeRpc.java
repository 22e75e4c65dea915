package dev.berth.cri;

import dev.berth.cri.v1.CgroupDriver;
import dev.berth.cri.v1.LinuxRuntimeConfiguration;
import dev.berth.cri.v1.RuntimeCondition;
import dev.berth.cri.v1.RuntimeConfigRequest;
import dev.berth.cri.v1.RuntimeConfigResponse;
import dev.berth.cri.v1.RuntimeFeatures;
import dev.berth.cri.v1.RuntimeHandler;
import dev.berth.cri.v1.RuntimeHandlerFeatures;
import dev.berth.cri.v1.RuntimeStatus;
import dev.berth.cri.v1.StatusRequest;
import dev.berth.cri.v1.StatusResponse;
import dev.berth.cri.v1.UpdateRuntimeConfigRequest;
import dev.berth.cri.v1.UpdateRuntimeConfigResponse;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.cri.validation.Requests;
import dev.berth.network.PodNetwork;
import dev.berth.node.NodeReadiness;
import dev.berth.runtime.RuntimeHandlers;
import io.grpc.stub.StreamObserver;

/** Version, Status, RuntimeConfig and UpdateRuntimeConfig: what kubelet asks of the runtime as a whole. */
final class NodeRpc {

    static final String RUNTIME_NAME = "berth";
    static final String RUNTIME_API_VERSION = "v1";
    /** The CRI API version this runtime speaks, as kubelet's VersionRequest names it. */
    static final String KUBE_API_VERSION = "0.1.0";

    private final NodeReadiness readiness;
    private final RuntimeHandlers handlers;
    private final String runtimeVersion;
    private final PodNetwork network;

    NodeRpc(NodeReadiness readiness, RuntimeHandlers handlers, String runtimeVersion, PodNetwork network) {
        this.readiness = readiness;
        this.handlers = handlers;
        this.runtimeVersion = runtimeVersion;
        this.network = network;
    }

    void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
        Rpc.unary(
                "Version",
                observer,
                () -> VersionResponse.newBuilder()
                        .setVersion(KUBE_API_VERSION)
                        .setRuntimeName(RUNTIME_NAME)
                        .setRuntimeVersion(runtimeVersion)
                        .setRuntimeApiVersion(RUNTIME_API_VERSION)
                        .build());
    }

    void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Rpc.unary("Status", observer, () -> {
            RuntimeStatus.Builder status = RuntimeStatus.newBuilder();
            for (NodeReadiness.Condition condition : readiness.check()) {
                status.addConditions(RuntimeCondition.newBuilder()
                        .setType(condition.type())
                        .setStatus(condition.ready())
                        .setReason(condition.reason())
                        .setMessage(condition.message()));
            }
            // supplemental_groups_policy: Strict and Merge are honoured for every handler (berthd resolves the groups)
            StatusResponse.Builder response = StatusResponse.newBuilder()
                    .setStatus(status)
                    .setFeatures(RuntimeFeatures.newBuilder().setSupplementalGroupsPolicy(true));
            handlers.names().stream()
                    .sorted()
                    .forEach(name -> response.addRuntimeHandlers(RuntimeHandler.newBuilder()
                            .setName(name)
                            .setFeatures(RuntimeHandlerFeatures.newBuilder()
                                    .setRecursiveReadOnlyMounts(
                                            handlers.require(name).features().recursiveReadOnlyMounts())
                                    .setUserNamespaces(false))));
            return response.build();
        });
    }

    void runtimeConfig(RuntimeConfigRequest request, StreamObserver<RuntimeConfigResponse> observer) {
        Rpc.unary(
                "RuntimeConfig",
                observer,
                () -> RuntimeConfigResponse.newBuilder()
                        .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(CgroupDriver.CGROUPFS))
                        .build());
    }

    void updateRuntimeConfig(UpdateRuntimeConfigRequest request, StreamObserver<UpdateRuntimeConfigResponse> observer) {
        Rpc.unary("UpdateRuntimeConfig", observer, () -> {
            String podCidr = request.getRuntimeConfig().getNetworkConfig().getPodCidr();
            Requests.podCidr("runtime_config.network_config.pod_cidr", podCidr);
            if (!podCidr.isBlank()) {
                network.usePodCidr(podCidr);
            }
            return UpdateRuntimeConfigResponse.getDefaultInstance();
        });
    }
}
