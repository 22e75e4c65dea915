package dev.berth.streaming;

import dev.berth.runtime.RemoteStreams;
import java.io.IOException;
import java.util.List;

/** What the streaming server asks of the container feature: a process in a container, or its own stdio. */
public interface ContainerStreams {

    /**
     * Runs {@code command} in the running container with the client's streams (a pty when {@code tty}) and
     * returns its exit code. Fails with {@link RemoteCommandException} when the command could not start
     * (no such executable, the container not running); ends the process when the client goes away.
     */
    int exec(String containerId, List<String> command, boolean tty, RemoteStreams streams)
            throws IOException, InterruptedException;

    /** Copies the container's stdio to and from the client until the container exits or the client leaves. */
    void attach(String containerId, boolean tty, RemoteStreams streams) throws IOException, InterruptedException;
}
