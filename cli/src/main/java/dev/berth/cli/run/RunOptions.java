package dev.berth.cli.run;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** docker run's flags that shape the pod and its container (the flags of the run itself stay in RunCommand). */
public final class RunOptions {

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the container (default: a generated one)")
    String name;

    @Option(
            names = {"-p", "--publish"},
            paramLabel = "[IP:]HOST:CTR[/udp]",
            description = "Publish a container port on the host")
    List<String> publish = new ArrayList<>();

    @Option(
            names = {"-e", "--env"},
            paramLabel = "K=V",
            description = "Set an environment variable (K alone: its value here)")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read environment variables from a file")
    List<String> envFiles = new ArrayList<>();

    @Option(
            names = {"-v", "--volume"},
            paramLabel = "HOST:CTR[:ro]",
            description = "Bind mount a host directory or file")
    List<String> volumes = new ArrayList<>();

    @Option(
            names = {"-w", "--workdir"},
            paramLabel = "DIR",
            description = "Working directory inside the container")
    String workdir;

    @Option(
            names = {"-u", "--user"},
            paramLabel = "USER[:GROUP]",
            description = "User name or uid, and optionally a gid")
    String user;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Overwrite the image's entrypoint")
    String entrypoint;

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            description = "Memory limit (256m, 1g)")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs (1.5)")
    Double cpus;

    @Option(
            names = {"--net", "--network"},
            paramLabel = "MODE",
            description = "bridge (default: the runtime's pod network) or host")
    String network = "bridge";

    @Option(
            names = {"-h", "--hostname"},
            paramLabel = "NAME",
            description = "Container host name")
    String hostname;

    @Option(
            names = {"-l", "--label"},
            paramLabel = "K=V",
            description = "Set a label on the container")
    List<String> labels = new ArrayList<>();

    @Option(
            names = {"-i", "--interactive"},
            description = "Keep stdin open")
    boolean interactive;

    @Option(
            names = {"-t", "--tty"},
            description = "Allocate a terminal")
    boolean tty;

    public boolean interactive() {
        return interactive;
    }

    public boolean tty() {
        return tty;
    }

    public String name() {
        return name;
    }
}
