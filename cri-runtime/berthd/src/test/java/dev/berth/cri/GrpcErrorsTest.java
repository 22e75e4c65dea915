package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.store.NotFoundException;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/** Failures become gRPC statuses a client can read, whatever the caller sent. */
class GrpcErrorsTest {

    @Test
    void longDescriptionIsCutWithItsLength() {
        StatusRuntimeException status =
                GrpcErrors.toStatus("PodSandboxStatus", new NotFoundException("pod sandbox", "a".repeat(1 << 20)));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getStatus().getDescription())
                .hasSizeLessThan(GrpcErrors.MAX_DESCRIPTION + 40)
                .startsWith("pod sandbox aaa")
                .endsWith("… (" + ("pod sandbox  not found".length() + (1 << 20)) + " characters)");
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDCA5".repeat(GrpcErrors.MAX_DESCRIPTION);

        String description = GrpcErrors.toStatus("X", new IllegalArgumentException("x" + emoji))
                .getStatus()
                .getDescription();

        assertThat(description.substring(0, description.indexOf('…'))).doesNotEndWith("\uD83D");
    }

    /** Found by the fuzz (dev.berth.cri.fuzz): a 1 MiB ID came back as a transport error, INTERNAL to the client. */
    @Test
    void unknownIdOfAMebibyteIsNotFoundOverTheSocket() throws Exception {
        Privileges.requireRoot();
        try (DaemonFixture daemon = DaemonFixture.start()) {
            String huge = "\u00e9".repeat(1 << 19);

            assertThatThrownBy(() -> daemon.runtime()
                            .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                    .setPodSandboxId(huge)
                                    .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode())
                                    .isIn(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT));
        }
    }
}
