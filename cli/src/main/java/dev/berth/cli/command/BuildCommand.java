package dev.berth.cli.command;

import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildOptions;
import dev.berth.api.v1.BuildResult;
import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.build.BuildCall;
import dev.berth.cli.build.BuildFlags;
import dev.berth.cli.build.BuildProgress;
import dev.berth.cli.build.ContextTar;
import dev.berth.cli.build.DockerfileSource;
import dev.berth.cli.build.LiveBuildProgress;
import dev.berth.cli.build.PlainBuildProgress;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Units;
import dev.berth.cli.image.ImageRef;
import dev.berth.cli.image.Pusher;
import dev.berth.cli.image.RegistryAuth;
import dev.berth.cli.sys.Terminal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docker build on berthd: the context (less what its .dockerignore leaves out) streamed to berth.v1 Build,
 * buildkit's progress on stderr (plain lines, or a live view on a terminal), the image ID on stdout.
 */
public final class BuildCommand implements Callable<Integer> {

    private static final int STDERR = 2;

    private final Berth berth;
    private List<String> tags = new ArrayList<>();
    private String file;
    private List<String> buildArgs = new ArrayList<>();
    private String target;
    private boolean noCache;
    private String network = "default";
    private String memory;
    private String cpus;
    private List<String> labels = new ArrayList<>();
    private String progressMode = "auto";
    private boolean push;
    private boolean quiet;
    private String contextArg;

    public BuildCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "build", "Build an image from a Dockerfile")
                .repeatable(
                        "-t,--tag", "NAME[:TAG]", "Name and optionally a tag for the image (repeatable)", v -> tags = v)
                .option(
                        "-f,--file",
                        "FILE",
                        "The Dockerfile (default: CONTEXT/Dockerfile); - reads it from stdin",
                        v -> file = v)
                .repeatable(
                        "--build-arg",
                        "K=V",
                        "A build-time variable; K alone takes it from the environment (repeatable)",
                        v -> buildArgs = v)
                .option("--target", "STAGE", "The stage to build (default: the last)", v -> target = v)
                .flag("--no-cache", "Run every step, using no cached result", v -> noCache = v)
                .option("--network", "MODE", "The network of RUN steps: default, none or host", v -> network = v)
                .option("-m,--memory", "SIZE", "Memory limit of the build (512m)", v -> memory = v)
                .option("--cpus", "N", "CPU limit of the build (1.5)", v -> cpus = v)
                .repeatable("--label", "K=V", "A label of the image (repeatable)", v -> labels = v)
                .option("--progress", "MODE", "auto (live on a terminal) or plain", v -> progressMode = v)
                .flag("--push", "Push each tag to its registry once built", v -> push = v)
                .flag("-q,--quiet", "No progress; print only the image ID", v -> quiet = v)
                .positional("0", "CONTEXT", "The build context: a directory", v -> contextArg = v)
                .spec();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!progressMode.equals("auto") && !progressMode.equals("plain")) {
            throw new CliException("invalid --progress " + progressMode + ": auto or plain");
        }
        List<String> named = tags.stream().map(BuildCommand::withTag).toList();
        if (push && named.isEmpty()) {
            throw new CliException("--push needs a name to push to: give one with -t NAME[:TAG]");
        }
        Path context = context();
        DockerfileSource dockerfile = DockerfileSource.resolve(context, file, System.in);
        ContextTar tar = ContextTar.of(context, dockerfile.pathInContext());
        BuildOptions options = options(named, dockerfile, System.getenv());
        PrintStream err = System.err;
        try (Cri cri = berth.connect()) {
            BuildResult result = build(cri, options, tar, progress(err));
            if (push) {
                Pusher pusher = new Pusher(cri, quiet ? nowhere() : err, false);
                for (String tag : named) {
                    pusher.push(tag, RegistryAuth.forImage(tag, null, null, System.getenv()));
                }
            }
            System.out.println(result.getImageId());
            return 0;
        }
    }

    private BuildResult build(Cri cri, BuildOptions options, ContextTar tar, BuildProgress progress)
            throws IOException, InterruptedException {
        BuildCall call = BuildCall.start(cri.builds(), options, tar::writeTo);
        // Ctrl-C: the call is cancelled before the JVM goes, and berthd stops the build and removes what it made
        Thread interrupted = Thread.ofPlatform().unstarted(() -> {
            call.cancel("interrupted", null);
            cri.close();
        });
        Runtime.getRuntime().addShutdownHook(interrupted);
        BuildResult result = null;
        try {
            for (BuildEvent event = call.next(); event != null; event = call.next()) {
                progress.event(event);
                if (event.hasResult()) {
                    result = event.getResult();
                }
            }
        } catch (StatusRuntimeException e) {
            throw failure(cri, e);
        } catch (IOException e) {
            throw new CliException("unable to send the build context: " + e.getMessage());
        } finally {
            progress.finish();
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running
            }
        }
        if (result == null) {
            throw new CliException("the runtime ended the build without its result");
        }
        return result;
    }

    private CliException failure(Cri cri, StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNIMPLEMENTED) {
            return new CliException("the runtime at " + cri.endpoint() + " does not build images (no berth.v1 Build)");
        }
        if (code == Status.Code.UNAVAILABLE && e.getCause() != null) {
            return cri.failure("build", e);
        }
        if (code == Status.Code.CANCELLED) {
            return new CliException("build cancelled");
        }
        String reason = Optional.ofNullable(e.getStatus().getDescription()).orElse(code.toString());
        // buildkit's words for every failure of the build itself
        return new CliException("failed to solve: " + reason);
    }

    private Path context() throws IOException {
        if (contextArg.equals("-")
                || contextArg.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")
                || contextArg.startsWith("git@")) {
            throw new CliException("unable to prepare context: " + contextArg
                    + ": only a local directory is a build context here (no stdin tar, URL or git repository)");
        }
        Path path = Path.of(contextArg);
        if (!Files.isDirectory(path)) {
            throw new CliException("unable to prepare context: path \"" + contextArg + "\" not found");
        }
        return path.toRealPath();
    }

    private BuildOptions options(List<String> named, DockerfileSource dockerfile, Map<String, String> env) {
        BuildOptions.Builder options = BuildOptions.newBuilder()
                .addAllTags(named)
                .putAllBuildArgs(BuildFlags.buildArgs(buildArgs, env))
                .putAllLabels(BuildFlags.labels(labels))
                .setNoCache(noCache)
                .setNetwork(BuildFlags.network(network))
                .putAllRegistryAuth(RegistryAuth.all(env));
        if (dockerfile.pathInContext() != null) {
            options.setDockerfilePath(dockerfile.pathInContext());
        } else {
            options.setDockerfile(dockerfile.text());
        }
        if (target != null) {
            options.setTarget(target);
        }
        if (memory != null) {
            options.setMemoryLimitBytes(Units.parseMemory(memory));
        }
        if (cpus != null) {
            options.setCpuMillis(BuildFlags.cpuMillis(cpus));
        }
        // as buildx: the build arg, else the environment, fixes the layers' file times and the image's date
        String epoch = options.getBuildArgsOrDefault("SOURCE_DATE_EPOCH", env.get("SOURCE_DATE_EPOCH"));
        if (epoch != null && !epoch.isBlank()) {
            try {
                options.setHasSourceDateEpoch(true).setSourceDateEpoch(Long.parseLong(epoch.strip()));
            } catch (NumberFormatException e) {
                throw new CliException("invalid SOURCE_DATE_EPOCH " + epoch + ": seconds since 1970");
            }
        }
        return options.build();
    }

    private BuildProgress progress(PrintStream err) {
        if (quiet) {
            return new PlainBuildProgress(nowhere());
        }
        Optional<Terminal.Size> terminal =
                progressMode.equals("auto") && Terminal.isTerminal(STDERR) ? Terminal.size(STDERR) : Optional.empty();
        return terminal.<BuildProgress>map(size -> new LiveBuildProgress(err, size.columns(), System::nanoTime))
                .orElseGet(() -> new PlainBuildProgress(err));
    }

    /** docker tags a name without one {@code latest}. */
    private static String withTag(String name) {
        ImageRef ref = ImageRef.parse(name);
        if (!ref.digest().isEmpty()) {
            throw new CliException("invalid tag " + name + ": a name and tag, not a digest");
        }
        return ref.tag().isEmpty() ? name + ":latest" : name;
    }

    private static PrintStream nowhere() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
