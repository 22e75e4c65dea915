package dev.berth.stats;

import java.util.List;

/** A metric's name, help text and label keys, the same for every sample of it. */
public record MetricDescriptor(String name, String help, List<String> labelKeys) {

    public MetricDescriptor {
        labelKeys = List.copyOf(labelKeys);
    }
}
