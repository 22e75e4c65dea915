package dev.berth.cli.build;

import static dev.berth.cli.build.PlainBuildProgressTest.finished;
import static dev.berth.cli.build.PlainBuildProgressTest.output;
import static dev.berth.cli.build.PlainBuildProgressTest.started;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveBuildProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong();
    private final LiveBuildProgress progress =
            new LiveBuildProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 40, now::get);

    @Test
    void theRunningStepAndItsLastLinesAreRedrawnInPlaceAndFinishedStepsStay() {
        progress.event(started(1, 2, "0", "RUN make"));
        assertThat(take()).isEqualTo("=> [1/2] RUN make  0.0s\n");
        now.addAndGet(1_000_000_000L);
        progress.event(output(1, "line one\n\u001b[31mred\u001b[0m line two\n"));
        String live = take();
        assertThat(live).isEqualTo("\u001b[1F\u001b[J=> [1/2] RUN make  1.0s\n   line one\n   red line two\n");

        progress.event(finished(1, false, 1_500_000_000L));
        assertThat(take()).isEqualTo("\u001b[3F\u001b[J=> [1/2] RUN make  1.5s\n");

        progress.event(started(2, 2, "0", "RUN " + "x".repeat(60)));
        String last = take();
        assertThat(last).startsWith("=> [2/2] RUN xxx");
        assertThat(last.lines()).allMatch(line -> line.length() < 40);
        progress.finish();
        assertThat(take()).isEmpty();
    }

    private String take() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }
}
