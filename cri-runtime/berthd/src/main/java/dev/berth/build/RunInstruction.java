package dev.berth.build;

import dev.berth.build.cache.BuildCache;
import dev.berth.build.cache.CacheKeys;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.build.run.RunStep;
import dev.berth.imagestore.LayerRecord;
import dev.berth.oci.InvalidContainerConfigException;
import dev.berth.oci.RootfsPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RUN: the process in a build container on the stage's layers, its changes the step's layer, unless the cache has
 * the layer already. The key covers the command, the environment (ENV and build args) and SOURCE_DATE_EPOCH.
 */
final class RunInstruction {

    /** Files runc creates as mount points when the image lacks them; they do not belong in the layer. */
    private static final List<String> MOUNT_POINTS = List.of("etc/resolv.conf", "etc/hostname", "etc/hosts");

    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final StepTools tools;

    RunInstruction(StepTools tools) {
        this.tools = tools;
    }

    /** @return the layer made or taken from the cache, and whether it was cached */
    StepResult run(BuildContextRun build, StageImage image, Instruction.Run run, List<String> env, int index)
            throws IOException, BuildException {
        List<String> argv = InstructionText.runArgv(run, image.shell());
        List<String> environment = new ArrayList<>(env);
        if (environment.stream().noneMatch(e -> e.startsWith("PATH="))) {
            environment.add(0, "PATH=" + DEFAULT_PATH);
        }
        String key = CacheKeys.next(
                image.cacheKey(),
                List.of(
                        "RUN",
                        String.join("\0", argv),
                        String.join("\0", environment),
                        image.user(),
                        image.workingDir(),
                        epoch(build)));
        if (!build.request().noCache()) {
            Optional<BuildCache.Entry> cached = tools.cache().lookup(key);
            if (cached.isPresent()) {
                return StepResult.cached(build, cached.get(), key);
            }
        }
        Path stepDir = build.sandbox().dir().resolve("step-" + index);
        try (StepRootfs rootfs = StepRootfs.mount(tools.mounts(), tools.snapshots(), stepDir, image.chainIds())) {
            RootfsPath root = new RootfsPath(rootfs.merged());
            root.createDirectories(root.resolve(image.workingDir()));
            List<String> missing = new ArrayList<>();
            for (String point : MOUNT_POINTS) {
                if (!Files.exists(root.resolveParent(point), LinkOption.NOFOLLOW_LINKS)) {
                    missing.add(point);
                }
            }
            OutputTail tail = new OutputTail();
            int exit;
            try {
                exit = tools.runner()
                        .run(
                                build.sandbox(),
                                build.sandbox().id() + "-" + index,
                                rootfs.merged(),
                                new RunStep.Process(argv, environment, image.user(), image.workingDir()),
                                (stderr, chunk) -> {
                                    tail.add(chunk);
                                    build.events().output(index, stderr, chunk);
                                });
            } catch (InvalidContainerConfigException e) {
                throw new BuildException(BuildException.Kind.INVALID, e.getMessage(), e);
            }
            if (exit != 0) {
                // the status description is cut at 512 characters; "exit code: N" must stay its end
                String output = last(tail.text(), 240);
                String message = "process \"" + first(String.join(" ", argv), 120)
                        + "\" did not complete successfully" + (output.isEmpty() ? "" : ": " + output)
                        + ": exit code: " + exit;
                build.events().failed(index, exit, message);
                throw new BuildException(BuildException.Kind.RUN_FAILED, message);
            }
            rootfs.unmount();
            for (String point : missing) {
                Path created = rootfs.upper().resolve(point);
                if (Files.isRegularFile(created, LinkOption.NOFOLLOW_LINKS) && Files.size(created) == 0) {
                    Files.delete(created);
                }
            }
            LayerRecord layer = tools.layers()
                    .commit(rootfs.upper(), image.layers(), build.request().sourceDateEpoch(), build.leases());
            StepResult made = StepResult.made(build, layer, key);
            tools.cache().put(key, layer, made.created().toString());
            return made;
        }
    }

    private static String first(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "...";
    }

    private static String last(String text, int limit) {
        return text.length() <= limit ? text : "..." + text.substring(text.length() - limit);
    }

    static String epoch(BuildContextRun build) {
        return build.request().sourceDateEpoch().isPresent()
                ? Long.toString(build.request().sourceDateEpoch().getAsLong())
                : "";
    }

    /**
     * The history time of a metadata step: SOURCE_DATE_EPOCH, else the time of the step before it, so a build the
     * cache gives whole has the same config, hence the same image ID, as the build it came from.
     */
    static Instant created(BuildContextRun build, StageImage image) {
        return build.request().sourceDateEpoch().isPresent()
                ? Instant.ofEpochSecond(build.request().sourceDateEpoch().getAsLong())
                : image.lastCreated();
    }

    /** A filesystem step's outcome: its layer, its cache key, when it was made, whether the cache gave it. */
    record StepResult(LayerRecord layer, String cacheKey, Instant created, boolean cached) {

        static StepResult made(BuildContextRun build, LayerRecord layer, String key) {
            Instant now = build.request().sourceDateEpoch().isPresent()
                    ? Instant.ofEpochSecond(build.request().sourceDateEpoch().getAsLong())
                    : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            return new StepResult(layer, key, now, false);
        }

        static StepResult cached(BuildContextRun build, BuildCache.Entry entry, String key) {
            Instant created = build.request().sourceDateEpoch().isPresent()
                    ? Instant.ofEpochSecond(build.request().sourceDateEpoch().getAsLong())
                    : Instant.parse(entry.created());
            return new StepResult(entry.layer(), key, created, true);
        }
    }
}
