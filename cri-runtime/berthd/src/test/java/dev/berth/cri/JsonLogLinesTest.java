package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.logging.LogFormat;
import dev.berth.logging.LogSettings;
import dev.berth.store.NotFoundException;
import dev.berth.testing.LogCapture;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** log.format json: the lines berthd's own failures log are JSON objects a collector can read field by field. */
class JsonLogLinesTest {

    private static final StreamObserver<String> IGNORED = new StreamObserver<>() {
        @Override
        public void onNext(String value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    };

    @Test
    void aFailedCallIsOneJsonLineWithTimeLevelLoggerThreadMessageAndStackTrace() {
        List<JsonNode> lines;
        try (LogCapture logs = LogCapture.start(LogSettings.of(LogFormat.JSON, Level.INFO, Map.of()))) {
            Rpc.unary("Broken", IGNORED, () -> {
                throw new IllegalStateException("a bug of one call");
            });
            lines = logs.json();
        }

        assertThat(lines).hasSize(1);
        JsonNode line = lines.getFirst();
        assertThat(line.path("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("logger").asText()).isEqualTo(GrpcErrors.class.getName());
        assertThat(line.path("thread").asText())
                .isEqualTo(Thread.currentThread().getName());
        assertThat(line.path("message").asText()).isEqualTo("Broken failed");
        assertThat(line.path("exception").asText())
                .startsWith("java.lang.IllegalStateException: a bug of one call")
                .contains("\tat dev.berth.cri.");
        assertThat(line.has("pod_id")).isFalse();
    }

    @Test
    void theLevelAndLoggerLevelsDecideWhatIsWritten() {
        try (LogCapture logs = LogCapture.start(LogSettings.of(LogFormat.JSON, Level.WARN, Map.of()))) {
            Rpc.unary("Missing", IGNORED, () -> {
                throw new NotFoundException("pod sandbox", "p1");
            });
            assertThat(logs.text()).as("NOT_FOUND is logged at info").isEmpty();
        }
        try (LogCapture logs = LogCapture.start(LogSettings.of(LogFormat.JSON, Level.INFO, Map.of()))) {
            Rpc.unary("Missing", IGNORED, () -> {
                throw new NotFoundException("pod sandbox", "p1");
            });
            assertThat(logs.json()).singleElement().satisfies(line -> {
                assertThat(line.path("level").asText()).isEqualTo("INFO");
                assertThat(line.path("message").asText()).startsWith("Missing failed: NOT_FOUND");
            });
        }
        try (LogCapture logs =
                LogCapture.start(LogSettings.of(LogFormat.JSON, Level.INFO, Map.of("dev.berth.cri", Level.WARN)))) {
            Rpc.unary("Missing", IGNORED, () -> {
                throw new NotFoundException("pod sandbox", "p1");
            });
            assertThat(logs.text())
                    .as("a package's level goes over the default")
                    .isEmpty();
        }
    }

    @Test
    void textLinesKeepTheirFormat() {
        try (LogCapture logs = LogCapture.start(LogSettings.defaults())) {
            Rpc.unary("Missing", IGNORED, () -> {
                throw new NotFoundException("pod sandbox", "p1");
            });
            assertThat(logs.text())
                    .matches(
                            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}[+-Z][0-9:]* INFO GrpcErrors - Missing failed:"
                                    + " NOT_FOUND.*\\n");
        }
    }
}
