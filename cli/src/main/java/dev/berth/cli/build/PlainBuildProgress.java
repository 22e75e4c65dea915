package dev.berth.cli.build;

import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildResult;
import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.LayerState;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cli.image.ProgressDisplay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * buildkit's {@code --progress plain} lines, for a pipe or a file: {@code #3 [2/5] RUN make}, each output line
 * of the step as {@code #3 line}, then {@code #3 DONE 0.4s}, {@code #3 CACHED} or {@code #3 ERROR: …}; a blank
 * line between steps. Output is cut into lines per step, so steps that print at once never mix within a line.
 */
public final class PlainBuildProgress implements BuildProgress {

    private final PrintStream out;
    private final Map<Integer, ByteArrayOutputStream> partial = new HashMap<>();
    private final Map<String, LayerState> layers = new HashMap<>();
    private int current;
    private boolean any;

    public PlainBuildProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void event(BuildEvent event) {
        switch (event.getEventCase()) {
            case STARTED -> {
                current = event.getStarted().getIndex();
                separate();
                out.println("#" + current + " " + BuildProgress.label(event.getStarted()) + " "
                        + event.getStarted().getInstruction());
            }
            case OUTPUT ->
                output(event.getOutput().getIndex(), event.getOutput().getData().toByteArray());
            case FINISHED -> {
                int index = event.getFinished().getIndex();
                rest(index);
                out.println("#" + index + " "
                        + (event.getFinished().getCached()
                                ? "CACHED"
                                : "DONE "
                                        + BuildProgress.seconds(
                                                event.getFinished().getDurationNanos())));
            }
            case FAILED -> {
                int index = event.getFailed().getIndex();
                rest(index);
                out.println("#" + index + " ERROR: " + BuildProgress.failure(event.getFailed()));
            }
            case PULL -> {
                if (event.getPull().hasLayer()) {
                    layer(event.getPull().getLayer());
                }
            }
            case RESULT -> result(event.getResult());
            case EVENT_NOT_SET -> {}
        }
        out.flush();
    }

    @Override
    public void finish() {
        for (int index : partial.keySet().stream().sorted().toList()) {
            rest(index);
        }
        out.flush();
    }

    private void output(int index, byte[] data) {
        ByteArrayOutputStream line = partial.computeIfAbsent(index, i -> new ByteArrayOutputStream());
        for (byte b : data) {
            if (b == '\n') {
                print(index, line);
            } else {
                line.write(b);
            }
        }
    }

    /** The step's last line, if it did not end in a newline. */
    private void rest(int index) {
        ByteArrayOutputStream line = partial.remove(index);
        if (line != null && line.size() > 0) {
            print(index, line);
        }
    }

    private void print(int index, ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        out.println("#" + index + " " + (text.endsWith("\r") ? text.substring(0, text.length() - 1) : text));
    }

    /** A layer of a FROM image, under the step that pulls it, once per state. */
    private void layer(LayerProgress layer) {
        if (layers.put(layer.getDigest(), layer.getState()) != layer.getState()) {
            out.println("#" + current + " " + ImageInfo.shortId(layer.getDigest()) + ": "
                    + ProgressDisplay.word(layer.getState()));
        }
    }

    private void result(BuildResult result) {
        int index = current + 1;
        separate();
        out.println("#" + index + " writing image " + result.getImageId() + " done");
        for (String tag : result.getTagsList()) {
            out.println("#" + index + " naming to " + tag + " done");
        }
    }

    private void separate() {
        if (any) {
            out.println();
        }
        any = true;
    }
}
