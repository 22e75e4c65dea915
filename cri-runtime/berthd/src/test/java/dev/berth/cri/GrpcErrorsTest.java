package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.validation.InvalidRequestException;
import dev.berth.runtime.OciRuntimeException;
import dev.berth.store.NotFoundException;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/** Failures become gRPC statuses a client can read, whatever the caller sent. */
class GrpcErrorsTest {

    private static Status status(Throwable failure) {
        return GrpcErrors.toStatus("Call", failure).getStatus();
    }

    @Test
    void clientMistakesGetTheirOwnCodesAndBerthdsBugsInternal() {
        assertThat(status(new InvalidRequestException("config.envs[0].key", "is empty")))
                .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .satisfies(s -> assertThat(s.getDescription()).isEqualTo("config.envs[0].key is empty"));
        assertThat(status(new OciRuntimeException(
                                OciRuntimeException.Kind.CANNOT_EXECUTE, "exec: \"x\": executable file not found"))
                        .getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status(new OciRuntimeException(
                                OciRuntimeException.Kind.RESOURCES_REFUSED,
                                "failed to write \"1\": write /sys/fs/cgroup/cpu/x/cpu.cfs_quota_us: invalid argument"))
                        .getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status(new NotFoundException("container", "abc")).getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status(new OciRuntimeException("runc delete failed")).getCode())
                .isEqualTo(Status.Code.INTERNAL);
        assertThat(status(new NullPointerException()).getCode()).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void aNotFoundIdIsShownBounded() {
        String description =
                status(new NotFoundException("container", "c".repeat(1000))).getDescription();

        assertThat(description).contains("…(1000 chars)").hasSizeLessThan(120);
    }

    @Test
    void longDescriptionIsCutWithItsLength() {
        String description =
                status(new IllegalArgumentException("a".repeat(1 << 20))).getDescription();

        assertThat(description)
                .hasSizeLessThan(GrpcErrors.MAX_DESCRIPTION + 40)
                .startsWith("aaa")
                .endsWith("… (" + (1 << 20) + " characters)");
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDCA5".repeat(GrpcErrors.MAX_DESCRIPTION);

        String description = status(new IllegalArgumentException("x" + emoji)).getDescription();

        assertThat(description.substring(0, description.indexOf('…'))).doesNotEndWith("\uD83D");
    }

    /** Found by the fuzz (dev.berth.cri.fuzz): a 1 MiB ID came back as a transport error, INTERNAL to the client. */
    @Test
    void unknownIdOfAMebibyteIsRefusedPreciselyOverTheSocket() throws Exception {
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
