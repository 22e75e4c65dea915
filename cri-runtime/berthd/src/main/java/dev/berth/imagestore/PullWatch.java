package dev.berth.imagestore;

import java.util.List;

/**
 * A running pull as its callers can watch it: the layers of the image once the manifest is known, each with its
 * progress. Every caller that joins the pull is handed the same watch.
 */
public final class PullWatch {

    private volatile List<LayerProgress> layers = List.of();

    void layers(List<LayerProgress> known) {
        layers = List.copyOf(known);
    }

    /** The layers in manifest order; empty until the manifest and config are in. */
    public List<LayerProgress.Snapshot> snapshot() {
        return layers.stream().map(LayerProgress::snapshot).toList();
    }
}
