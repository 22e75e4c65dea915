package dev.berth.streaming;

import java.util.concurrent.ExecutorService;

/**
 * What the protocols hand streams to: the container and pod features, and the executor (virtual threads)
 * whose blocking tasks run exec, attach and the port copies off the event loop.
 */
public record StreamBackends(
        ContainerStreams containers, PodPorts ports, ExecutorService executor, StreamingSettings settings) {}
