package dev.berth.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildResult;
import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.LayerState;
import dev.berth.api.v1.PullProgress;
import dev.berth.api.v1.StepFailed;
import dev.berth.api.v1.StepFinished;
import dev.berth.api.v1.StepOutput;
import dev.berth.api.v1.StepStarted;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainBuildProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PlainBuildProgress progress =
            new PlainBuildProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @Test
    void stepsPrintAsBuildkitsPlainLines() {
        feed(
                started(1, 3, "0", "FROM 127.0.0.1:5000/base:1"),
                pull("sha256:" + "a".repeat(64), LayerState.DOWNLOADING),
                pull("sha256:" + "a".repeat(64), LayerState.DOWNLOADING),
                pull("sha256:" + "a".repeat(64), LayerState.COMPLETE),
                finished(1, false, 1_230_000_000L),
                started(2, 3, "0", "COPY . /src"),
                finished(2, true, 0),
                started(3, 3, "0", "RUN make"),
                output(3, "cc -o app main.c\nlinking"),
                output(3, " done\r\n"),
                finished(3, false, 400_000_000L),
                BuildEvent.newBuilder()
                        .setResult(BuildResult.newBuilder()
                                .setImageId("sha256:" + "b".repeat(64))
                                .addTags("127.0.0.1:5000/app:1"))
                        .build());
        progress.finish();

        assertThat(lines())
                .containsExactly(
                        "#1 [1/3] FROM 127.0.0.1:5000/base:1",
                        "#1 aaaaaaaaaaaa: Downloading",
                        "#1 aaaaaaaaaaaa: Pull complete",
                        "#1 DONE 1.2s",
                        "",
                        "#2 [2/3] COPY . /src",
                        "#2 CACHED",
                        "",
                        "#3 [3/3] RUN make",
                        "#3 cc -o app main.c",
                        "#3 linking done",
                        "#3 DONE 0.4s",
                        "",
                        "#4 writing image sha256:" + "b".repeat(64) + " done",
                        "#4 naming to 127.0.0.1:5000/app:1 done");
    }

    @Test
    void aFailedStepShowsItsLastPartialLineThenDockersError() {
        feed(
                started(1, 2, "builder", "RUN echo oops; exit 3"),
                output(1, "oops"),
                BuildEvent.newBuilder()
                        .setFailed(StepFailed.newBuilder()
                                .setIndex(1)
                                .setExitCode(3)
                                .setMessage("process \"/bin/sh -c echo oops; exit 3\" did not complete successfully:"
                                        + " exit code: 3"))
                        .build());
        progress.finish();

        assertThat(lines())
                .containsExactly(
                        "#1 [builder 1/2] RUN echo oops; exit 3",
                        "#1 oops",
                        "#1 ERROR: process \"/bin/sh -c echo oops; exit 3\" did not complete successfully: exit code: 3");
    }

    @Test
    void outputOfStepsRunningAtOnceIsCutIntoLinesPerStep() {
        feed(
                started(1, 4, "a", "RUN a"),
                started(2, 4, "b", "RUN b"),
                output(1, "one-"),
                output(2, "two\n"),
                output(1, "done\n"));
        progress.finish();

        assertThat(lines()).contains("#2 two", "#1 one-done");
    }

    private void feed(BuildEvent... events) {
        for (BuildEvent event : events) {
            progress.event(event);
        }
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    static BuildEvent started(int index, int total, String stage, String instruction) {
        return BuildEvent.newBuilder()
                .setStarted(StepStarted.newBuilder()
                        .setIndex(index)
                        .setTotal(total)
                        .setStage(stage)
                        .setInstruction(instruction)
                        .setFile("Dockerfile")
                        .setLine(index))
                .build();
    }

    static BuildEvent output(int index, String text) {
        return BuildEvent.newBuilder()
                .setOutput(StepOutput.newBuilder().setIndex(index).setData(ByteString.copyFromUtf8(text)))
                .build();
    }

    static BuildEvent finished(int index, boolean cached, long nanos) {
        return BuildEvent.newBuilder()
                .setFinished(StepFinished.newBuilder()
                        .setIndex(index)
                        .setCached(cached)
                        .setDurationNanos(nanos))
                .build();
    }

    static BuildEvent pull(String digest, LayerState state) {
        return BuildEvent.newBuilder()
                .setPull(PullProgress.newBuilder()
                        .setLayer(LayerProgress.newBuilder()
                                .setDigest(digest)
                                .setState(state)
                                .setTotalBytes(100)))
                .build();
    }
}
