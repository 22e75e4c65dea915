package dev.berth.build.dockerfile;

/** One {@code key=value} of ENV or LABEL; before expansion both still hold their quotes. */
public record KeyValue(String key, String value) {}
