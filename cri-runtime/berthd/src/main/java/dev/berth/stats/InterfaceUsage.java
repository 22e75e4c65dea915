package dev.berth.stats;

/** One network interface's counters as {@code /proc/<pid>/net/dev} shows them. */
public record InterfaceUsage(String name, long rxBytes, long rxErrors, long txBytes, long txErrors) {}
