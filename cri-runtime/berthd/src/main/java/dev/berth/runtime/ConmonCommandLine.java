package dev.berth.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * conmon's argv for creating a container, in the shape CRI-O uses. There is no sync pipe (a JVM cannot pass
 * extra fds to a child), so the runtime is told to log JSON to a file of its own: that file is where a failed
 * {@code create} explains itself.
 */
final class ConmonCommandLine {

    private final Path conmon;

    ConmonCommandLine(Path conmon) {
        this.conmon = conmon;
    }

    List<String> create(ConmonLaunch launch, ContainerRuntime runtime) {
        List<String> argv = new ArrayList<>(List.of(
                conmon.toString(),
                "--api-version",
                "-c",
                launch.containerId(),
                "-u",
                launch.containerId(),
                "-n",
                launch.containerName(),
                "-r",
                runtime.binary().toString(),
                "-b",
                launch.bundle().toString(),
                "-p",
                launch.containerPidFile().toString(),
                "-P",
                launch.conmonPidFile().toString(),
                "-l",
                "k8s-file:" + launch.logPath(),
                "--exit-dir",
                launch.exitDir().toString(),
                "--persist-dir",
                launch.persistDir().toString(),
                "--socket-dir-path",
                launch.socketDir().toString(),
                "--log-level",
                "info",
                "--runtime-arg",
                "--root=" + runtime.root(),
                "--runtime-arg",
                "--log=" + launch.runtimeLog(),
                "--runtime-arg",
                "--log-format=json"));
        if (launch.tty()) {
            argv.add("-t");
        }
        if (launch.stdin()) {
            argv.add("-i");
            if (!launch.stdinOnce()) {
                argv.add("--leave-stdin-open");
            }
        }
        return List.copyOf(argv);
    }
}
