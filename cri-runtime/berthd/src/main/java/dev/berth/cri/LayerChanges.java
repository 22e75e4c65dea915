package dev.berth.cri;

import dev.berth.imagestore.LayerProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Of each sample of a pull's layers, the ones that differ from what was sent last: a stream sends only news. */
final class LayerChanges {

    private final Map<String, LayerProgress.Snapshot> sent = new HashMap<>();

    List<LayerProgress.Snapshot> changed(List<LayerProgress.Snapshot> sample) {
        List<LayerProgress.Snapshot> news = new ArrayList<>();
        for (LayerProgress.Snapshot layer : sample) {
            if (!layer.equals(sent.put(layer.digest(), layer))) {
                news.add(layer);
            }
        }
        return news;
    }
}
