package dev.berth.cli.run;

import dev.berth.cli.CommandDefinition;
import java.util.ArrayList;
import java.util.List;

/** docker run's flags that shape the pod and its container (the flags of the run itself stay in RunCommand). */
public final class RunOptions {

    String name;
    List<String> publish = new ArrayList<>();
    List<String> env = new ArrayList<>();
    List<String> envFiles = new ArrayList<>();
    List<String> volumes = new ArrayList<>();
    String workdir;
    String user;
    String entrypoint;
    String memory;
    Double cpus;
    String network = "bridge";
    String hostname;
    List<String> labels = new ArrayList<>();
    boolean interactive;
    boolean tty;

    /** Declares these flags on {@code command}, which then fills them in as it parses. */
    public CommandDefinition declareOn(CommandDefinition command) {
        return command.option("--name", "NAME", "Name of the container (default: a generated one)", v -> name = v)
                .repeatable(
                        "-p,--publish", "[IP:]HOST:CTR[/udp]", "Publish a container port on the host", v -> publish = v)
                .repeatable("-e,--env", "K=V", "Set an environment variable (K alone: its value here)", v -> env = v)
                .repeatable("--env-file", "FILE", "Read environment variables from a file", v -> envFiles = v)
                .repeatable("-v,--volume", "HOST:CTR[:ro]", "Bind mount a host directory or file", v -> volumes = v)
                .option("-w,--workdir", "DIR", "Working directory inside the container", v -> workdir = v)
                .option("-u,--user", "USER[:GROUP]", "User name or uid, and optionally a gid", v -> user = v)
                .option("--entrypoint", "CMD", "Overwrite the image's entrypoint", v -> entrypoint = v)
                .option("-m,--memory", "SIZE", "Memory limit (256m, 1g)", v -> memory = v)
                .option("--cpus", "N", "Number of CPUs (1.5)", Double.class, v -> cpus = v)
                .option(
                        "--net,--network",
                        "MODE",
                        "bridge (default: the runtime's pod network) or host",
                        v -> network = v)
                .option("-h,--hostname", "NAME", "Container host name", v -> hostname = v)
                .repeatable("-l,--label", "K=V", "Set a label on the container", v -> labels = v)
                .flag("-i,--interactive", "Keep stdin open", v -> interactive = v)
                .flag("-t,--tty", "Allocate a terminal", v -> tty = v);
    }

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
