package dev.berth.cri;

import dev.berth.cri.v1.CgroupDriver;
import dev.berth.cri.v1.LinuxRuntimeConfiguration;
import dev.berth.cri.v1.RuntimeConfigRequest;
import dev.berth.cri.v1.RuntimeConfigResponse;
import dev.berth.cri.v1.RuntimeCondition;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.RuntimeStatus;
import dev.berth.cri.v1.StatusRequest;
import dev.berth.cri.v1.StatusResponse;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.daemon.NodeReadiness;
import io.grpc.stub.StreamObserver;

/**
 * CRI RuntimeService. Version, Status and RuntimeConfig are served here; calls not implemented yet
 * answer UNIMPLEMENTED (the generated base class does that), which kubelet and crictl report as such.
 */
public final class RuntimeServiceRpc extends RuntimeServiceGrpc.RuntimeServiceImplBase {

    static final String RUNTIME_NAME = "berth";
    static final String RUNTIME_API_VERSION = "v1";
    /** The CRI API version this runtime speaks, as kubelet's VersionRequest names it. */
    static final String KUBE_API_VERSION = "0.1.0";

    private final NodeReadiness readiness;
    private final String runtimeVersion;

    public RuntimeServiceRpc(NodeReadiness readiness, String runtimeVersion) {
        this.readiness = readiness;
        this.runtimeVersion = runtimeVersion;
    }

    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
        Rpc.unary("Version", observer, () -> VersionResponse.newBuilder()
                .setVersion(KUBE_API_VERSION)
                .setRuntimeName(RUNTIME_NAME)
                .setRuntimeVersion(runtimeVersion)
                .setRuntimeApiVersion(RUNTIME_API_VERSION)
                .build());
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Rpc.unary("Status", observer, () -> {
            RuntimeStatus.Builder status = RuntimeStatus.newBuilder();
            for (NodeReadiness.Condition condition : readiness.check()) {
                status.addConditions(RuntimeCondition.newBuilder()
                        .setType(condition.type())
                        .setStatus(condition.ready())
                        .setReason(condition.reason())
                        .setMessage(condition.message()));
            }
            return StatusResponse.newBuilder().setStatus(status).build();
        });
    }

    @Override
    public void runtimeConfig(RuntimeConfigRequest request, StreamObserver<RuntimeConfigResponse> observer) {
        Rpc.unary("RuntimeConfig", observer, () -> RuntimeConfigResponse.newBuilder()
                .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(CgroupDriver.CGROUPFS))
                .build());
    }
}
