package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.validation.InvalidRequestException;
import dev.berth.runtime.OciRuntimeException;
import dev.berth.store.NotFoundException;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

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
}
