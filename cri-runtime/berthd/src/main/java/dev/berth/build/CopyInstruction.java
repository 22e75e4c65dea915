package dev.berth.build;

import dev.berth.build.cache.BuildCache;
import dev.berth.build.cache.CacheKeys;
import dev.berth.build.copy.ContextDigests;
import dev.berth.build.copy.CopySources;
import dev.berth.build.copy.CopyStep;
import dev.berth.build.copy.SourceHash;
import dev.berth.build.dockerfile.Heredoc;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.imagestore.LayerRecord;
import dev.berth.imagestore.PullException;
import dev.berth.oci.RootfsPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * COPY and ADD: the sources from the context, an earlier stage or an image (mounted read-only for the copy), the
 * step's layer what the copy changed, unless the cache has the layer already. The key covers the instruction and
 * the sources' content hash.
 */
final class CopyInstruction {

    private final StepTools tools;

    CopyInstruction(StepTools tools) {
        this.tools = tools;
    }

    /** @param stages the stages built so far, by index */
    RunInstruction.StepResult copy(
            BuildContextRun build, StageImage image, Instruction.Copy copy, Map<Integer, StageImage> stages, int index)
            throws IOException, BuildException, PullException {
        Path stepDir = build.sandbox().dir().resolve("step-" + index);
        StepRootfs source = null;
        try {
            RootfsPath from;
            String where;
            if (copy.from().isEmpty()) {
                from = new RootfsPath(build.context());
                where = "build context";
            } else {
                List<String> chainIds = sourceLayers(build, copy.from(), stages);
                source = StepRootfs.mount(tools.mounts(), tools.snapshots(), stepDir.resolve("from"), chainIds);
                from = new RootfsPath(source.merged());
                where = "--from=" + copy.from();
            }
            List<CopySources.Source> sources = CopyStep.sources(copy, from, where);
            List<String> parts = new ArrayList<>();
            parts.add(InstructionText.of(copy));
            parts.add(SourceHash.of(
                    sources,
                    !copy.from().isEmpty(),
                    copy.from().isEmpty() ? build.contextDigests() : ContextDigests.NONE));
            copy.heredocs().stream().map(Heredoc::content).forEach(parts::add);
            parts.add(image.workingDir());
            parts.add(RunInstruction.epoch(build));
            String key = CacheKeys.next(image.cacheKey(), parts);
            if (!build.request().noCache()) {
                Optional<BuildCache.Entry> cached = tools.cache().lookup(key);
                if (cached.isPresent()) {
                    return RunInstruction.StepResult.cached(build, cached.get(), key);
                }
            }
            try (StepRootfs target =
                    StepRootfs.mount(tools.mounts(), tools.snapshots(), stepDir.resolve("to"), image.chainIds())) {
                tools.copier()
                        .apply(
                                copy,
                                sources,
                                new RootfsPath(target.merged()),
                                image.workingDir(),
                                !copy.from().isEmpty(),
                                stepDir);
                target.unmount();
                LayerRecord layer = tools.layers()
                        .commit(target.upper(), image.layers(), build.request().sourceDateEpoch(), build.leases());
                RunInstruction.StepResult made = RunInstruction.StepResult.made(build, layer, key);
                tools.cache().put(key, layer, made.created().toString());
                return made;
            }
        } finally {
            try {
                if (source != null) {
                    source.close();
                }
            } finally {
                dev.berth.store.Directories.deleteRecursively(stepDir);
            }
        }
    }

    private List<String> sourceLayers(BuildContextRun build, String from, Map<Integer, StageImage> stages)
            throws IOException, BuildException, PullException {
        Optional<dev.berth.build.dockerfile.Stage> stage = build.plan().stageNamed(from);
        if (stage.isPresent()) {
            StageImage built = stages.get(stage.get().index());
            if (built == null) {
                throw new BuildException(
                        BuildException.Kind.INVALID, "--from=" + from + " names a stage that is not built before it");
            }
            return built.chainIds();
        }
        return tools.bases().resolve(build, from, "").layers().stream()
                .map(LayerRecord::chainId)
                .toList();
    }
}
