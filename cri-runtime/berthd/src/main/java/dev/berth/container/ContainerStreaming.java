package dev.berth.container;

import dev.berth.oci.ExecProcessSpec;
import dev.berth.runtime.ConmonAttach;
import dev.berth.runtime.OciRuntimeException;
import dev.berth.runtime.RemoteStreams;
import dev.berth.runtime.RuntimeExec;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.store.NotFoundException;
import dev.berth.streaming.ContainerStreams;
import dev.berth.streaming.RemoteCommandException;
import dev.berth.streaming.StreamRequest;
import dev.berth.sys.Terminals;
import dev.berth.sys.UnixSockets;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Exec and attach for the streaming server: the container must be running; the process mechanics are the
 * runtime's ({@link RuntimeExec}) and conmon's ({@link ConmonAttach}). An exec with options (berth.v1's user,
 * working directory, variables) runs a process of its own made from the container's ({@link ExecProcessSpec}).
 */
public final class ContainerStreaming implements ContainerStreams {

    private final ContainerService containers;
    private final RuntimeHandlers runtimes;
    private final ContainerPaths paths;
    private final Terminals terminals;
    private final ConmonAttach attach;
    private final ExecProcessSpec processes = new ExecProcessSpec();

    public ContainerStreaming(
            ContainerService containers,
            RuntimeHandlers runtimes,
            ContainerPaths paths,
            UnixSockets sockets,
            Terminals terminals) {
        this.containers = containers;
        this.runtimes = runtimes;
        this.paths = paths;
        this.terminals = terminals;
        this.attach = new ConmonAttach(sockets);
    }

    @Override
    public int exec(StreamRequest.Exec request, RemoteStreams streams) throws IOException, InterruptedException {
        ContainerRecord record = running(request.containerId());
        boolean tty = request.channels().tty();
        byte[] process = request.options().isEmpty()
                ? null
                : processes.build(
                        Files.readAllBytes(paths.bundle(record.id()).resolve("config.json")),
                        request.command(),
                        tty,
                        request.options());
        RuntimeExec exec = new RuntimeExec(runtimes.require(record.runtimeHandler()), paths.execScratch(), terminals);
        try {
            return exec.run(record.id(), request.command(), tty, process, streams);
        } catch (OciRuntimeException e) {
            throw new RemoteCommandException(e.getMessage(), e);
        }
    }

    @Override
    public void attach(String containerId, boolean tty, RemoteStreams streams)
            throws IOException, InterruptedException {
        ContainerRecord record = running(containerId);
        attach.attach(record.id(), paths.bundle(record.id()), tty, streams);
    }

    private ContainerRecord running(String containerId) throws IOException {
        ContainerRecord record;
        try {
            record = containers.get(containerId);
        } catch (NotFoundException e) {
            throw new RemoteCommandException(e.getMessage(), e);
        }
        if (record.state() != ContainerState.RUNNING) {
            throw new RemoteCommandException("container " + record.id() + " is not running (" + record.state() + ")");
        }
        return record;
    }
}
