package dev.berth.snapshot;

/** What unpacking one layer did: tar entries applied and bytes of regular-file content written. */
public record UnpackStats(long entries, long bytes) {}
