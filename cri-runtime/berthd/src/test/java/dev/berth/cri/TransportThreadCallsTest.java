package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import org.junit.jupiter.api.Test;

class TransportThreadCallsTest {

    @Test
    void callsAnsweredFromMemoryStayOnTheTransportThread() {
        assertThat(TransportThreadCalls.onTransportThread(
                        RuntimeServiceGrpc.getVersionMethod().getFullMethodName()))
                .isTrue();
        assertThat(TransportThreadCalls.onTransportThread(
                        RuntimeServiceGrpc.getListPodSandboxMethod().getFullMethodName()))
                .isTrue();
        // one with an exit to record moves itself to the executor (ContainerRpc)
        assertThat(TransportThreadCalls.onTransportThread(
                        RuntimeServiceGrpc.getListContainersMethod().getFullMethodName()))
                .isTrue();
    }

    @Test
    void callsThatMayWaitOnFilesLocksProcessesOrTheNetworkGoToTheExecutor() {
        assertThat(TransportThreadCalls.onTransportThread(
                        RuntimeServiceGrpc.getRunPodSandboxMethod().getFullMethodName()))
                .isFalse();
        assertThat(TransportThreadCalls.onTransportThread(
                        RuntimeServiceGrpc.getExecSyncMethod().getFullMethodName()))
                .isFalse();
        assertThat(TransportThreadCalls.onTransportThread(
                        ImageServiceGrpc.getPullImageMethod().getFullMethodName()))
                .isFalse();
    }
}
