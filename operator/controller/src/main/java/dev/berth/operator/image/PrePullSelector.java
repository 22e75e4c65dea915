package dev.berth.operator.image;

import dev.berth.operator.model.Image;
import java.util.Map;

/** Whether a node pre-pulls an Image: it has {@code spec.prePull} and the node carries every selector label. */
public final class PrePullSelector {
    private PrePullSelector() {}

    public static boolean selects(Image image, Map<String, String> nodeLabels) {
        if (image.getSpec() == null || image.getSpec().getPrePull() == null) {
            return false;
        }
        Map<String, String> selector = image.getSpec().getPrePull().getNodeSelector();
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        Map<String, String> labels = nodeLabels == null ? Map.of() : nodeLabels;
        return selector.entrySet().stream()
                .allMatch(e -> e.getValue() != null && e.getValue().equals(labels.get(e.getKey())));
    }
}
