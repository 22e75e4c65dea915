package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.State;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Json;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cri.v1.AttachRequest;
import dev.berth.cri.v1.ContainerStatusRequest;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class AttachCommand implements Callable<Integer> {

    private final Berth berth;
    private boolean noStdin;
    private String ref;

    public AttachCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "attach", "Attach to a running container's stdio (detach with Ctrl-P Ctrl-Q)")
                .flag("--no-stdin", "Do not attach stdin", v -> noStdin = v)
                .positional("0", "CONTAINER", "", v -> ref = v)
                .spec();
    }

    @Override
    public Integer call() throws InterruptedException {
        try (Cri cri = berth.connect()) {
            Containers containers = new Containers(cri);
            CliContainer container = containers.find(ref);
            if (container.state() != State.RUNNING || container.containerId().isEmpty()) {
                throw new CliException("container " + ref + " is not running");
            }
            String id = container.containerId().get();
            // The runtime's verbose info carries the config the container was made with (berthd's and containerd's).
            Map<?, ?> info = ImageInfo.parse(cri.call(
                            "status of container " + id,
                            () -> cri.runtime()
                                    .containerStatus(ContainerStatusRequest.newBuilder()
                                            .setContainerId(id)
                                            .setVerbose(true)
                                            .build()))
                    .getInfoOrDefault("info", "{}"));
            boolean stdin = !noStdin && Boolean.TRUE.equals(Json.path(info, "config", "stdin"));
            int code = attach(cri, id, stdin, Boolean.TRUE.equals(Json.path(info, "config", "tty")));
            if (code < 0) {
                return 0; // detached
            }
            // the stream ends with the container; its exit code is docker attach's
            return containers
                    .lookup(container.id())
                    .filter(c -> c.state() == State.EXITED)
                    .flatMap(CliContainer::status)
                    .map(s -> s.getExitCode())
                    .orElse(code);
        }
    }

    /** Attaches to a running container's stdio; the exit code, or -1 when the user detached. */
    static int attach(Cri cri, String containerId, boolean stdin, boolean tty) throws InterruptedException {
        String url = cri.call(
                        "attach to " + containerId,
                        () -> cri.runtime()
                                .attach(AttachRequest.newBuilder()
                                        .setContainerId(containerId)
                                        .setStdin(stdin)
                                        .setTty(tty)
                                        .setStdout(true)
                                        .setStderr(!tty)
                                        .build()))
                .getUrl();
        return Streams.attach(url, stdin, tty, true);
    }
}
