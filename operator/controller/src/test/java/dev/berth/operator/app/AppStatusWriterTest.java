package dev.berth.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.AppStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How soon a blocked or rolling App is looked at again: backoff, never a hot loop. */
class AppStatusWriterTest {
    private final AppStatusWriter writer = new AppStatusWriter();
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void blockedAppBacksOffFromThirtySecondsToFiveMinutes() {
        App app = app();
        AppStatus first = writer.status(app, blocked(), t0);
        app.setStatus(first);

        assertThat(writer.nextCheck(first, t0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(writer.nextCheck(writer.status(app, blocked(), t0.plusSeconds(120)), t0.plusSeconds(120)))
                .isEqualTo(Duration.ofSeconds(120));
        assertThat(writer.nextCheck(writer.status(app, blocked(), t0.plusSeconds(3600)), t0.plusSeconds(3600)))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void repeatedProblemsInManyPodsReadAsOneLine() {
        List<PodProblem> problems = List.of(
                new PodProblem("OOMKilled", "web-1", "was OOMKilled"),
                new PodProblem("OOMKilled", "web-2", "was OOMKilled"),
                new PodProblem("Unschedulable", "web-3", "no node"));

        assertThat(PodDiagnosis.summarize(problems, 3))
                .isEqualTo("pod web-1 and 1 more: was OOMKilled; pod web-3: no node");
    }

    private static AppObservation blocked() {
        return new AppObservation(
                new ImageChoice.Blocked("ImageNotFound", "Image 'x' does not exist"), null, null, List.of());
    }

    private static App app() {
        App app = new App();
        app.getMetadata().setName("a");
        app.getMetadata().setNamespace("ns");
        app.getMetadata().setGeneration(1L);
        AppSpec spec = new AppSpec();
        spec.setImageRef("x");
        app.setSpec(spec);
        return app;
    }
}
