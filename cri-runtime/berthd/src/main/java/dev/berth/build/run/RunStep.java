package dev.berth.build.run;

import dev.berth.oci.BuildStepSpecs;
import dev.berth.oci.BuiltSpec;
import dev.berth.oci.ContainerSpecRequest;
import dev.berth.oci.InvalidContainerConfigException;
import dev.berth.oci.OciSpecBuilder;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.Command;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.store.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one RUN's process with {@code runc run} in the build's sandbox: the spec is the one berthd gives any
 * container (default capabilities, seccomp, masked paths) with the stage's user, environment and working dir, the
 * rootfs the step's overlay, and its own pid and mount namespaces. Output goes to the sink as it comes; an
 * interrupted call kills the container's processes and deletes it before it returns.
 */
public final class RunStep {

    private static final Logger log = LoggerFactory.getLogger(RunStep.class);
    /** A RUN may compile for a long time; the client's cancellation is the usual way to end one early. */
    private static final Duration RUN_TIMEOUT = Duration.ofHours(6);

    private static final int SIGKILL = 9;

    private final OciSpecBuilder specs;
    private final ContainerRuntime runtime;
    private final CommandRunner runner;

    public RunStep(OciSpecBuilder specs, ContainerRuntime runtime, CommandRunner runner) {
        this.specs = specs;
        this.runtime = runtime;
        this.runner = runner;
    }

    /** What the process runs as and with; {@code user} as the image's USER ("name", "uid:gid", ...). */
    public record Process(List<String> argv, List<String> env, String user, String workingDir) {}

    /** @return the process's exit code */
    public int run(
            BuildSandbox sandbox, String containerId, Path rootfs, Process process, CommandRunner.OutputSink sink)
            throws IOException, InvalidContainerConfigException {
        sandbox.start();
        Path bundle = Directories.createPrivate(sandbox.dir().resolve(containerId));
        try {
            BuiltSpec spec = specs.build(request(sandbox, containerId, rootfs, process));
            Files.write(bundle.resolve("config.json"), spec.configJson());
            Command command = Command.of(
                    RUN_TIMEOUT,
                    List.of(
                            runtime.binary().toString(),
                            "--root",
                            runtime.root().toString(),
                            "run",
                            "--bundle",
                            bundle.toString(),
                            containerId));
            int exit = runner.runStreaming(command, sink, pid -> runtime.kill(containerId, SIGKILL, true));
            log.debug("build {}: step container {} exited {}", sandbox.id(), containerId, exit);
            return exit;
        } finally {
            // a cancelled step is cleaned up too: the pending interrupt waits until that is done
            boolean interrupted = Thread.interrupted();
            try {
                if (runtime.state(containerId).isPresent()) {
                    runtime.kill(containerId, SIGKILL, true);
                    runtime.delete(containerId, true);
                }
            } finally {
                Directories.deleteRecursively(bundle);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static ContainerSpecRequest request(BuildSandbox sandbox, String id, Path rootfs, Process process) {
        return BuildStepSpecs.request(new BuildStepSpecs.Step(
                id,
                sandbox.id(),
                rootfs,
                process.argv(),
                process.env(),
                process.user(),
                process.workingDir(),
                sandbox.namespaces(),
                sandbox.resolvConf(),
                sandbox.cgroupFor(id)));
    }
}
