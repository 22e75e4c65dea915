package dev.berth.testing;

import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.io.IOException;

/**
 * An image of many small layers: layer N adds {@code /layer-N}; the first also has busybox and
 * {@code /early}, which the last one whites out.
 */
public final class ManyLayerImage {

    private ManyLayerImage() {}

    public static TestImage of(int layers) throws IOException {
        TestImage.Builder builder = TestImage.builder();
        for (int n = 1; n <= layers; n++) {
            LayerTar layer =
                    n == 1 ? BusyboxImage.fromHost().layer().file("early", "first layer\n", 0644) : LayerTar.create();
            layer.file("layer-" + n, "layer " + n + "\n", 0644);
            if (n == layers) {
                layer.whiteout("early");
            }
            builder.layer(layer.build(), TestLayer.Compression.GZIP);
        }
        return builder.build();
    }
}
