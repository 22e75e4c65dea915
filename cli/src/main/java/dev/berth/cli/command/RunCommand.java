package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.PortSpec;
import dev.berth.cli.container.State;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cli.image.Puller;
import dev.berth.cli.logs.LogFile;
import dev.berth.cli.logs.LogPrinter;
import dev.berth.cli.run.Names;
import dev.berth.cli.run.PortCheck;
import dev.berth.cli.run.RunOptions;
import dev.berth.cli.run.RunSpec;
import dev.berth.cli.run.RunSpecBuilder;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.RunPodSandboxRequest;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class RunCommand implements Callable<Integer> {

    private static final long INTERRUPT_GRACE_SECONDS = 3;

    private final Berth berth;
    private final RunOptions options = new RunOptions();
    private boolean detach;
    private boolean autoRemove;
    private String restart;
    private String image;
    private List<String> args = new ArrayList<>();

    public RunCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        CommandDefinition run = CommandDefinition.of(
                this, "run", "Run a command in a new container (one pod sandbox holding one container)");
        return options.declareOn(run)
                .flag("-d,--detach", "Run in the background and print the container's ID", v -> detach = v)
                .flag("--rm", "Remove the container when it exits", v -> autoRemove = v)
                .option(
                        "--restart",
                        "POLICY",
                        "Restart policy when the container exits: no, on-failure[:N], always (berthd acts on it)",
                        v -> restart = v)
                .positional("0", "IMAGE", "", v -> image = v)
                .positionals("1..*", "0..*", "COMMAND", "", v -> args = v)
                .spec();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        String restartPolicy = RunSpecBuilder.restartPolicy(restart, autoRemove);
        try (Cri cri = berth.connect()) {
            Containers containers = new Containers(cri);
            String name = options.name() == null ? Names.generate() : Names.validate(options.name());
            Optional<PodSandbox> clash = containers.podNamed(name);
            if (clash.isPresent()) {
                throw new CliException("Conflict. The container name \"" + name + "\" is already in use by container \""
                        + clash.get().getId() + "\". You have to remove (or rename) that container to be able to"
                        + " reuse that name.");
            }
            RunSpecBuilder builder = new RunSpecBuilder(options, autoRemove, detach, restartPolicy);
            // the others' ports matter only to a run that publishes some: listing them asks every container's status
            List<CliContainer> publishing = builder.ports().isEmpty()
                    ? List.of()
                    : containers.listBrief(true).stream()
                            .filter(c -> c.pod().getState() == PodSandboxState.SANDBOX_READY)
                            .toList();
            List<PortSpec> ports = PortCheck.allocate(builder.ports(), publishing);
            ImageInfo info = ImageInfo.find(cri, image).orElseGet(() -> {
                System.err.println("Unable to find image '" + image + "' locally");
                return Puller.onStderr(cri).pull(image);
            });
            RunSpec spec = builder.build(name, image, info, args, ports);
            return run(cri, containers, spec);
        }
    }

    private int run(Cri cri, Containers containers, RunSpec spec) throws IOException, InterruptedException {
        Lifecycle lifecycle = new Lifecycle(cri);
        String podId = cri.call(
                        "run pod",
                        () -> cri.runtime()
                                .runPodSandbox(RunPodSandboxRequest.newBuilder()
                                        .setConfig(spec.pod())
                                        .build()))
                .getPodSandboxId();
        PodSandbox pod = ranPod(podId, spec.pod());
        CliContainer container;
        try {
            String containerId = lifecycle.create(podId, spec.container(), spec.pod());
            container = containers
                    .inPod(pod, containerId)
                    .orElseThrow(() -> new CliException("container " + containerId + " went as it was made"));
            try {
                lifecycle.start(containerId);
            } catch (CliException e) {
                if (autoRemove) {
                    lifecycle.removePod(container);
                }
                throw e;
            }
        } catch (CliException e) {
            containers.lookup(podId).filter(c -> c.containerId().isEmpty()).ifPresent(lifecycle::removePod);
            throw e;
        }
        if (detach) {
            System.out.println(podId);
            return 0;
        }
        // Ctrl-C on a foreground run: docker passes the signal to the container, which CRI cannot; the container
        // is stopped instead (a short grace: someone is waiting), and removed with --rm.
        CliContainer started = container;
        Thread interrupted = Thread.ofPlatform().unstarted(() -> {
            try {
                lifecycle.stop(started, INTERRUPT_GRACE_SECONDS);
                if (autoRemove) {
                    lifecycle.removePod(started);
                }
            } catch (RuntimeException e) {
                // the JVM is going; what remains is visible in ps -a
            }
        });
        Runtime.getRuntime().addShutdownHook(interrupted);
        Optional<CliContainer> exited;
        try {
            exited = foreground(cri, new Watch(containers, container));
        } catch (CliException e) {
            if (autoRemove) {
                removeQuietly(lifecycle, container);
            }
            throw e;
        } finally {
            Runtime.getRuntime().removeShutdownHook(interrupted);
        }
        if (exited.isEmpty()) {
            return 0; // detached
        }
        if (autoRemove) {
            lifecycle.removePod(exited.get());
        }
        return exited.get().status().map(s -> s.getExitCode()).orElse(0);
    }

    /** --rm after a failure of the run's own: what stays in the way is worth no second error over the first. */
    private static void removeQuietly(Lifecycle lifecycle, CliContainer container) {
        try {
            lifecycle.removePod(container);
        } catch (CliException e) {
            // the pod may have gone already (removed elsewhere); ps -a shows anything left
        }
    }

    /**
     * The pod as the runtime holds it, from the config it was run with: run asks for nothing it sent (a lookup by
     * name lists every pod and container).
     */
    private static PodSandbox ranPod(String podId, PodSandboxConfig config) {
        return PodSandbox.newBuilder()
                .setId(podId)
                .setMetadata(config.getMetadata())
                .setState(PodSandboxState.SANDBOX_READY)
                .putAllLabels(config.getLabelsMap())
                .putAllAnnotations(config.getAnnotationsMap())
                .build();
    }

    /** Shows the container's output until it exits; the container as it exited (empty when the user detached). */
    private Optional<CliContainer> foreground(Cri cri, Watch watch) throws IOException, InterruptedException {
        LogPrinter printer = new LogPrinter(
                new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err), false, null);
        if (options.interactive() || options.tty()) {
            try {
                int code = AttachCommand.attach(
                        cri, watch.latest().containerId().orElseThrow(), options.interactive(), options.tty());
                if (code < 0) {
                    return Optional.empty();
                }
            } catch (CliException e) {
                // CRI attaches only to a running container: one that reads no input may have exited already
                // (run -i IMAGE true). As kubectl run -i then, its output comes from its log.
                if (watch.running()) {
                    throw e;
                }
                new LogFile(ContainerLogs.path(watch.latest())).print(printer, -1);
            }
        } else {
            new LogFile(ContainerLogs.path(watch.latest())).follow(printer, -1, watch::running);
        }
        return Optional.of(watch.awaitExit());
    }

    /** The run's one container, its status asked by ID: one call a look, and the last look kept for the next. */
    private static final class Watch {

        private final Containers containers;
        private CliContainer latest;

        Watch(Containers containers, CliContainer container) {
            this.containers = containers;
            this.latest = container;
        }

        CliContainer latest() {
            return latest;
        }

        boolean running() {
            return look() && stillRunning(latest);
        }

        CliContainer awaitExit() throws InterruptedException {
            while (stillRunning(latest)) {
                if (!look()) {
                    throw new CliException("No such container: " + latest.id() + " (removed while it ran)");
                }
                if (stillRunning(latest)) {
                    Thread.sleep(50);
                }
            }
            return latest;
        }

        /** Asks for the container's status; false when it has gone. */
        private boolean look() {
            Optional<CliContainer> now =
                    containers.inPod(latest.pod(), latest.containerId().orElseThrow());
            now.ifPresent(container -> latest = container);
            return now.isPresent();
        }

        private static boolean stillRunning(CliContainer container) {
            return container.state() == State.RUNNING || container.state() == State.CREATED;
        }
    }
}
