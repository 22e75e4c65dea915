package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.State;
import dev.berth.cli.copy.TarFiles;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.stream.RemoteCommand;
import dev.berth.cri.v1.ExecRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docker cp over CRI alone: a tar stream of {@code tar} run in the container through Exec (the image needs a
 * tar, as kubectl cp's does), packed or unpacked here.
 */
public final class CpCommand implements Callable<Integer> {

    private final Berth berth;
    private String source;
    private String destination;

    public CpCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "cp", "Copy files between a container and the host (NAME:PATH on one side)")
                .positional("0", "SRC", "", v -> source = v)
                .positional("1", "DST", "", v -> destination = v)
                .spec();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean fromContainer = inContainer(source);
        if (fromContainer == inContainer(destination)) {
            throw new CliException(
                    "cp copies between a container and the host: name the container on one side" + " (NAME:PATH)");
        }
        try (Cri cri = berth.connect()) {
            String spec = fromContainer ? source : destination;
            int colon = spec.indexOf(':');
            CliContainer container = new Containers(cri).find(spec.substring(0, colon));
            if (container.state() != State.RUNNING || container.containerId().isEmpty()) {
                throw new CliException("container " + container.name() + " is not running");
            }
            String path = spec.substring(colon + 1);
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            if (fromContainer) {
                copyOut(cri, container.containerId().get(), path, Path.of(destination));
            } else {
                copyIn(cri, container.containerId().get(), Path.of(source), path);
            }
            return 0;
        }
    }

    private void copyOut(Cri cri, String containerId, String path, Path target)
            throws IOException, InterruptedException {
        Path parent =
                Path.of(path).getParent() == null ? Path.of("/") : Path.of(path).getParent();
        String name = Path.of(path).getFileName() == null
                ? "."
                : Path.of(path).getFileName().toString();
        Path tar = Files.createTempFile("berth-cp-", ".tar");
        try {
            try (OutputStream out = Files.newOutputStream(tar)) {
                exec(cri, containerId, List.of("tar", "cf", "-", "-C", parent.toString(), name), null, out);
            }
            Path into;
            String as;
            if (Files.isDirectory(target)) {
                into = target;
                as = name;
            } else {
                into = target.toAbsolutePath().getParent();
                as = target.getFileName().toString();
            }
            try (InputStream in = Files.newInputStream(tar)) {
                TarFiles.extract(in, into, as);
            }
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private void copyIn(Cri cri, String containerId, Path source, String path)
            throws IOException, InterruptedException {
        if (!Files.exists(source)) {
            throw new CliException("no such file or directory on the host: " + source);
        }
        // DST names an existing directory (the source goes inside) or the copy's new name; the shell decides there
        String probe = "if [ -d \"$0\" ]; then echo dir; fi";
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        exec(cri, containerId, List.of("sh", "-c", probe, path), null, answer);
        boolean intoDirectory = answer.toString(StandardCharsets.UTF_8).strip().equals("dir");
        Path target = Path.of(path);
        String dir = intoDirectory
                ? path
                : (target.getParent() == null ? "/" : target.getParent().toString());
        String name = intoDirectory
                ? source.toAbsolutePath().normalize().getFileName().toString()
                : target.getFileName().toString();
        Path tar = Files.createTempFile("berth-cp-", ".tar");
        try {
            try (OutputStream out = Files.newOutputStream(tar)) {
                TarFiles.write(source, name, out);
            }
            try (InputStream in = Files.newInputStream(tar)) {
                exec(cri, containerId, List.of("tar", "xf", "-", "-C", dir), in, OutputStream.nullOutputStream());
            }
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private static void exec(Cri cri, String containerId, List<String> argv, InputStream stdin, OutputStream stdout)
            throws InterruptedException {
        String url = cri.call(
                        "exec " + argv.getFirst() + " in the container",
                        () -> cri.runtime()
                                .exec(ExecRequest.newBuilder()
                                        .setContainerId(containerId)
                                        .addAllCmd(argv)
                                        .setStdin(stdin != null)
                                        .setStdout(true)
                                        .setStderr(true)
                                        .build()))
                .getUrl();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = RemoteCommand.run(url, stdin, stdout, stderr, -1, false);
        if (code != 0) {
            throw new CliException(argv.getFirst() + " in the container failed (exit " + code + "): "
                    + stderr.toString(StandardCharsets.UTF_8).strip());
        }
    }

    /** {@code NAME:PATH}, where a host path with a colon is written with a slash first ({@code ./a:b}). */
    private static boolean inContainer(String spec) {
        int colon = spec.indexOf(':');
        return colon > 0 && !spec.substring(0, colon).contains("/");
    }
}
