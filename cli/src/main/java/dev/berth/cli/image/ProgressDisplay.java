package dev.berth.cli.image;

import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.LayerState;

/** Shows a pull's layers as their progress comes in. */
public interface ProgressDisplay {

    void layer(LayerProgress layer);

    /** docker's word for a layer's state. */
    static String word(LayerState state) {
        return switch (state) {
            case WAITING -> "Waiting";
            case DOWNLOADING -> "Downloading";
            case VERIFYING -> "Verifying Checksum";
            case EXTRACTING -> "Extracting";
            case COMPLETE -> "Pull complete";
            case ALREADY_EXISTS -> "Already exists";
            case LAYER_STATE_UNSPECIFIED, UNRECOGNIZED -> "Pulling fs layer";
        };
    }
}
