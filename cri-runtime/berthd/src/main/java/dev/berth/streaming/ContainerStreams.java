package dev.berth.streaming;

import dev.berth.runtime.RemoteStreams;
import java.io.IOException;

/** What the streaming server asks of the container feature: a process in a container, or its own stdio. */
public interface ContainerStreams {

    /**
     * Runs the exec's command in its running container, with its options, and the client's streams (a pty when
     * its channels have a tty) and returns its exit code. Fails with {@link RemoteCommandException} when the
     * command could not start (no such executable or working directory, the container not running); ends the
     * process when the client goes away.
     */
    int exec(StreamRequest.Exec exec, RemoteStreams streams) throws IOException, InterruptedException;

    /** Copies the container's stdio to and from the client until the container exits or the client leaves. */
    void attach(String containerId, boolean tty, RemoteStreams streams) throws IOException, InterruptedException;
}
