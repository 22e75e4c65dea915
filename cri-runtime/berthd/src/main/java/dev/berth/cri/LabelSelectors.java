package dev.berth.cri;

import java.util.Map;

/** CRI filters' label selectors: every pair must be among the object's labels. */
final class LabelSelectors {

    private LabelSelectors() {}

    static boolean match(Map<String, String> labels, Map<String, String> selector) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
