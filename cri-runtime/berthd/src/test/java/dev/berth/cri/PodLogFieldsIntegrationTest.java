package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.logging.LogFormat;
import dev.berth.logging.LogSettings;
import dev.berth.testing.LogCapture;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/** log.format json through the CRI socket: a pod's and a container's lines carry their IDs as fields. */
class PodLogFieldsIntegrationTest {

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension("berthlogfields");

    private final PodClient pods = bed.pods();

    @Test
    void linesOfAPodsCallsCarryItsPodAndContainerIds() {
        List<JsonNode> lines;
        String podId;
        String containerId;
        try (LogCapture logs = LogCapture.start(LogSettings.of(LogFormat.JSON, Level.INFO, Map.of()))) {
            PodSandboxConfig pod = pods.pod("json-fields").build();
            podId = pods.run(pod);
            containerId = pods.createAndStart(
                    podId,
                    pod,
                    pods.container("sleeper", bed.busybox(), "sleep", "60").build());
            bed.daemon()
                    .runtime()
                    .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                            .setPodSandboxId(podId)
                            .build());
            lines = logs.json();
        }

        assertThat(line(lines, "pod " + podId + " (default/json-fields) ready")
                        .path("pod_id")
                        .asText())
                .as("RunPodSandbox names the pod once it made its ID")
                .isEqualTo(podId);
        assertThat(line(lines, "started container " + containerId)
                        .path("container_id")
                        .asText())
                .as("StartContainer's request names the container")
                .isEqualTo(containerId);
        JsonNode stopped = line(lines, "pod " + podId + " (default/json-fields) stopped");
        assertThat(stopped.path("pod_id").asText())
                .as("StopPodSandbox's request names the pod")
                .isEqualTo(podId);
        assertThat(stopped.path("logger").asText()).isEqualTo("dev.berth.sandbox.SandboxRemoval");
        assertThat(lines)
                .as("no line outside a call carries a call's IDs")
                .filteredOn(line -> line.path("message").asText().contains("serving"))
                .allSatisfy(line -> assertThat(line.has("pod_id")).isFalse());
    }

    private static JsonNode line(List<JsonNode> lines, String messageStart) {
        return lines.stream()
                .filter(line -> line.path("message").asText().startsWith(messageStart))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting " + messageStart + " in " + lines));
    }
}
