package dev.berth.cli.build;

import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.StepStarted;
import dev.berth.cli.format.Units;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cli.image.ProgressDisplay;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A compact live view on a terminal: a line for good per finished step ({@code => [2/5] RUN make  0.4s}),
 * under them the running step with its last few output lines (or its pull's layers), redrawn in place. Every
 * line is cut to the terminal's width so none wraps and the redraw always knows how many lines to go up; the
 * step's output is stripped of control characters for the same reason.
 */
public final class LiveBuildProgress implements BuildProgress {

    private static final String ESC = "\u001b[";
    private static final int TAIL_LINES = 6;
    /** A step's own colours and cursor moves (CSI sequences) would break the redraw. */
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]");
    /** Output alone redraws at most this often; a step's start or end redraws at once. */
    private static final long REDRAW_NANOS = 80_000_000L;

    private final PrintStream out;
    private final int columns;
    private final LongSupplier clock;
    private final List<String> permanent = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final Map<String, String> layers = new LinkedHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private StepStarted step;
    private long stepStart;
    private int drawn;
    private long lastDraw;

    public LiveBuildProgress(PrintStream out, int columns, LongSupplier clock) {
        this.out = out;
        this.columns = Math.max(20, columns);
        this.clock = clock;
    }

    @Override
    public void event(BuildEvent event) {
        switch (event.getEventCase()) {
            case STARTED -> {
                step = event.getStarted();
                stepStart = clock.getAsLong();
                tail.clear();
                layers.clear();
                partial.setLength(0);
            }
            case OUTPUT -> {
                output(event.getOutput().getData().toString(StandardCharsets.UTF_8));
                if (clock.getAsLong() - lastDraw < REDRAW_NANOS) {
                    return;
                }
            }
            case FINISHED -> {
                String label = step == null ? "#" + event.getFinished().getIndex() : heading();
                permanent.add(
                        event.getFinished().getCached()
                                ? "=> CACHED " + label
                                : "=> " + label + "  "
                                        + BuildProgress.seconds(
                                                event.getFinished().getDurationNanos()));
                step = null;
            }
            case FAILED -> {
                permanent.add(
                        "=> ERROR " + (step == null ? "#" + event.getFailed().getIndex() : heading()));
                flushPartial();
                tail.forEach(line -> permanent.add("   " + line));
                permanent.add("   ERROR: " + BuildProgress.failure(event.getFailed()));
                step = null;
            }
            case PULL -> {
                if (event.getPull().hasLayer()) {
                    layer(event.getPull().getLayer());
                }
            }
            case RESULT -> {
                permanent.add("=> writing image " + event.getResult().getImageId());
                event.getResult().getTagsList().forEach(tag -> permanent.add("=> naming to " + tag));
            }
            case EVENT_NOT_SET -> {}
        }
        draw();
    }

    @Override
    public void finish() {
        // the last frame stays as it is: a step cut short (Ctrl-C) remains visible with its last lines
        drawn = 0;
        out.flush();
    }

    private String heading() {
        return BuildProgress.label(step) + " " + step.getInstruction();
    }

    private void output(String text) {
        for (char ch : ANSI.matcher(text).replaceAll("").toCharArray()) {
            if (ch == '\n' || ch == '\r') {
                flushPartial();
            } else if (ch == '\t') {
                partial.append("    ");
            } else if (!Character.isISOControl(ch)) {
                partial.append(ch);
            }
        }
    }

    private void flushPartial() {
        if (!partial.isEmpty()) {
            tail.addLast(partial.toString());
            partial.setLength(0);
            while (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }
    }

    private void layer(LayerProgress layer) {
        String text = ProgressDisplay.word(layer.getState());
        if (layer.getTotalBytes() > 0 && layer.getDownloadedBytes() < layer.getTotalBytes()) {
            text += " " + Units.size(layer.getDownloadedBytes()) + "/" + Units.size(layer.getTotalBytes());
        }
        layers.put(ImageInfo.shortId(layer.getDigest()), text);
    }

    private void draw() {
        StringBuilder frame = new StringBuilder();
        if (drawn > 0) {
            // to the first live line, then erase it and all below
            frame.append(ESC).append(drawn).append('F').append(ESC).append('J');
        }
        permanent.forEach(line -> frame.append(fit(line)).append('\n'));
        permanent.clear();
        List<String> live = new ArrayList<>();
        if (step != null) {
            long elapsed = clock.getAsLong() - stepStart;
            live.add("=> " + heading() + "  " + BuildProgress.seconds(elapsed));
            layers.forEach((digest, text) -> live.add("   " + digest + ": " + text));
            tail.forEach(line -> live.add("   " + line));
            if (!partial.isEmpty()) {
                live.add("   " + partial);
            }
        }
        live.forEach(line -> frame.append(fit(line)).append('\n'));
        drawn = live.size();
        out.print(frame);
        out.flush();
        lastDraw = clock.getAsLong();
    }

    private String fit(String line) {
        return line.length() < columns ? line : line.substring(0, columns - 1);
    }
}
