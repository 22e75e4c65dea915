package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A unary call ends with its answer or a status, never with gRPC's UNKNOWN for an error that escaped it. */
class RpcTest {

    private static final class Recorder implements StreamObserver<String> {
        final List<Object> events = new ArrayList<>();

        @Override
        public void onNext(String value) {
            events.add(value);
        }

        @Override
        public void onError(Throwable t) {
            events.add(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            events.add("completed");
        }
    }

    @Test
    void aStackOverflowInACallIsAnsweredInternal() {
        Recorder observer = new Recorder();

        Rpc.unary("Deep", observer, () -> {
            throw new StackOverflowError();
        });

        assertThat(observer.events).singleElement().isInstanceOfSatisfying(Status.class, s -> {
            assertThat(s.getCode()).isEqualTo(Status.Code.INTERNAL);
            assertThat(s.getDescription()).startsWith("Deep: java.lang.StackOverflowError");
        });
    }

    @Test
    void anAnswerIsSentAndCompleted() {
        Recorder observer = new Recorder();

        Rpc.unary("Fine", observer, () -> "ok");

        assertThat(observer.events).containsExactly("ok", "completed");
    }

    @Test
    void anOutOfMemoryErrorIsLeftToTheJvm() {
        Recorder observer = new Recorder();

        assertThatThrownBy(() -> Rpc.unary("Big", observer, () -> {
                    throw new OutOfMemoryError("test");
                }))
                .isInstanceOf(OutOfMemoryError.class);
        assertThat(observer.events).isEmpty();
    }
}
