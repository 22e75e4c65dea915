package dev.berth.cli.image;

import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.LayerState;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** For a pipe or a file: one line each time a layer's state changes, never a byte count. */
final class PlainProgress implements ProgressDisplay {

    private final PrintStream out;
    private final Map<String, LayerState> shown = new HashMap<>();

    PlainProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void layer(LayerProgress layer) {
        if (shown.put(layer.getDigest(), layer.getState()) != layer.getState()) {
            out.println(ImageInfo.shortId(layer.getDigest()) + ": " + ProgressDisplay.word(layer.getState()));
            out.flush();
        }
    }
}
