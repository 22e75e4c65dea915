package dev.berth.runtime;

/** A container created under conmon: the monitor's pid and the container's init pid (both host pids). */
public record ConmonStarted(int conmonPid, int containerPid) {}
