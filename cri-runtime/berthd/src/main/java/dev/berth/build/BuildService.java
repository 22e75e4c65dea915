package dev.berth.build;

import dev.berth.build.copy.ContextDigests;
import dev.berth.build.copy.ContextDonor;
import dev.berth.build.copy.CopySourceMissingException;
import dev.berth.build.copy.TarArchives;
import dev.berth.build.dockerfile.BuildOptions;
import dev.berth.build.dockerfile.BuildPlan;
import dev.berth.build.dockerfile.Dockerfile;
import dev.berth.build.dockerfile.DockerfileException;
import dev.berth.build.dockerfile.PlannedStage;
import dev.berth.build.run.BuildSandbox;
import dev.berth.build.run.BuildSandboxes;
import dev.berth.content.ContentStore;
import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.imagestore.Caller;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.ImageService;
import dev.berth.imagestore.Leases;
import dev.berth.imagestore.PullException;
import dev.berth.oci.RootfsPath;
import dev.berth.snapshot.LayerRejectedException;
import dev.berth.store.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build feature: a Dockerfile and its context tar in, an image in berthd's store out, tagged and runnable at
 * once. Each build gets a sandbox of its own and leaves nothing behind, whether it succeeds, fails or its client
 * goes away (the calling thread is interrupted).
 */
public final class BuildService {

    private static final Logger log = LoggerFactory.getLogger(BuildService.class);

    private final ImageService images;
    private final BuildSandboxes sandboxes;
    private final TarArchives archives;
    private final StageBuilder stages;
    private final ImageWriter writer;
    private final StepTools tools;
    private final Leases leases;
    private final Platform node;
    private final ContextDonor donor;

    public BuildService(
            ImageService images,
            ContentStore content,
            Leases leases,
            BuildSandboxes sandboxes,
            TarArchives archives,
            StepToolsFactory.Parts parts,
            Platform node) {
        this.images = images;
        this.sandboxes = sandboxes;
        this.archives = archives;
        this.leases = leases;
        this.node = node;
        this.tools = StepToolsFactory.tools(parts, new BaseImages(images, content, leases, node));
        this.stages = new StageBuilder(tools);
        this.writer = new ImageWriter(content);
        this.donor = new ContextDonor(sandboxes.contextDonorDir());
    }

    /** The image made: its ID, manifest digest and canonical names. */
    public record BuildResult(String imageId, String manifestDigest, List<String> tags) {}

    public BuildResult build(BuildRequest request, InputStream contextTar, BuildEvents events, Caller caller)
            throws BuildException, PullException, IOException {
        List<String> tags = canonicalTags(request.tags());
        String id = "build-" + HexFormat.of().formatHex(randomBytes());
        long started = System.nanoTime();
        BuildSandbox sandbox = sandboxes.create(id, request);
        boolean interrupted = false;
        Path context = sandbox.dir().resolve("context");
        ContextDigests digests = donor.digests();
        boolean unpacked = false;
        try {
            Directories.createPrivate(context);
            extract(contextTar, context, digests);
            unpacked = true;
            Dockerfile dockerfile = dockerfile(request, context);
            BuildPlan plan = BuildPlan.of(
                    dockerfile, new BuildOptions(request.buildArgs(), request.target(), platform(), platform()));
            try (BuildContextRun run = new BuildContextRun(request, plan, context, digests, sandbox, events, caller)) {
                Map<Integer, StageImage> built = new HashMap<>();
                StageImage last = null;
                for (PlannedStage planned : plan.stages()) {
                    last = stages.build(run, planned, built);
                    built.put(planned.stage().index(), last);
                }
                ImageRecord record = writer.write(
                        last,
                        request.labels(),
                        System.currentTimeMillis() * 1_000_000L,
                        keys -> run.hold(leases.acquire(keys)));
                tools.cache().usedBy(run.cacheKeys(), record.id());
                ImageRecord stored = images.register(record, tags);
                log.info(
                        "build {}: built {} ({} layers) as {} in {} ms",
                        id,
                        stored.id(),
                        stored.layers().size(),
                        tags,
                        (System.nanoTime() - started) / 1_000_000);
                return new BuildResult(stored.id(), stored.manifestDigest(), tags);
            }
        } catch (DockerfileException e) {
            throw new BuildException(BuildException.Kind.INVALID, e.getMessage(), e);
        } catch (CopySourceMissingException e) {
            throw new BuildException(BuildException.Kind.NOT_FOUND, e.getMessage(), e);
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            interrupted = true;
            throw new BuildException(BuildException.Kind.CANCELLED, "build cancelled: its client has gone", e);
        } finally {
            // cleanup must not fail on the interrupt that cancelled the build; the flag goes back afterwards
            interrupted |= Thread.interrupted();
            try {
                // a cancelled build leaves nothing behind, its context included
                if (unpacked && !interrupted) {
                    keep(context, id, digests);
                }
                sandbox.close();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The context for the next build to link from; a failure to keep it only costs that build the writes. */
    private void keep(Path context, String id, ContextDigests digests) {
        try {
            donor.keep(context, id, digests);
        } catch (IOException e) {
            log.warn("build {}: its context is not kept for the next build: {}", id, e.getMessage());
        }
    }

    private void extract(InputStream contextTar, Path context, ContextDigests digests)
            throws IOException, BuildException {
        try {
            archives.extract(contextTar, context, digests);
        } catch (LayerRejectedException e) {
            throw new BuildException(BuildException.Kind.INVALID, "the build context is refused: " + e.getMessage(), e);
        }
    }

    private static Dockerfile dockerfile(BuildRequest request, Path context)
            throws IOException, BuildException, DockerfileException {
        String text = request.dockerfile();
        if (text == null || text.isEmpty()) {
            Path file = new RootfsPath(context).resolve(request.dockerfilePath());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new BuildException(
                        BuildException.Kind.INVALID,
                        "failed to read dockerfile: " + request.dockerfilePath() + " is not in the build context");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        return Dockerfile.parse(request.dockerfilePath(), text);
    }

    private dev.berth.build.dockerfile.Platform platform() {
        return new dev.berth.build.dockerfile.Platform(
                node.os(), node.architecture(), node.variant() == null ? "" : node.variant());
    }

    private static List<String> canonicalTags(List<String> tags) throws BuildException {
        List<String> canonical = new ArrayList<>();
        for (String tag : tags) {
            try {
                ImageReference reference = ImageReference.parse(tag);
                if (reference.digest() != null) {
                    throw new BuildException(BuildException.Kind.INVALID, "a build's tag cannot name a digest: " + tag);
                }
                canonical.add(reference.toString());
            } catch (InvalidReferenceException e) {
                throw new BuildException(
                        BuildException.Kind.INVALID, "invalid tag \"" + tag + "\": " + e.getMessage(), e);
            }
        }
        return canonical;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
