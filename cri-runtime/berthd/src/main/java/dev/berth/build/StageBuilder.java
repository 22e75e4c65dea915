package dev.berth.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.build.cache.CacheKeys;
import dev.berth.build.dockerfile.DockerfileException;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.build.dockerfile.PlannedStage;
import dev.berth.build.dockerfile.StageScope;
import dev.berth.imagestore.PullException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Builds one stage: FROM, then each instruction in order with the stage's variables, each a step the client sees
 * start and finish. Metadata instructions change the config (an empty layer in the history); RUN, COPY and ADD
 * make a layer each.
 */
final class StageBuilder {

    private final StepTools tools;
    private final RunInstruction runs;
    private final CopyInstruction copies;

    StageBuilder(StepTools tools) {
        this.tools = tools;
        this.runs = new RunInstruction(tools);
        this.copies = new CopyInstruction(tools);
    }

    StageImage build(BuildContextRun build, PlannedStage planned, Map<Integer, StageImage> built)
            throws IOException, BuildException, PullException, DockerfileException {
        String file = build.plan().dockerfile().fileName();
        String label = planned.stage().label();
        Instruction.From from = planned.stage().from();
        int fromIndex = build.nextStep();
        long started = System.nanoTime();
        build.events()
                .started(
                        new BuildEvents.Step(fromIndex, label, InstructionText.of(from), file, from.line()),
                        build.totalSteps());
        StageImage image = base(build, planned, built);
        build.events().finished(fromIndex, false, System.nanoTime() - started, null);
        StageScope scope = build.plan().scope(image.env());
        MetadataInstructions metadata = new MetadataInstructions();
        for (Instruction instruction : planned.stage().instructions()) {
            int index = build.nextStep();
            started = System.nanoTime();
            build.events()
                    .started(
                            new BuildEvents.Step(
                                    index, label, InstructionText.of(instruction), file, instruction.line()),
                            build.totalSteps());
            try {
                step(build, image, scope, metadata, scope.resolve(instruction), built, index, started);
            } catch (BuildException e) {
                if (e.kind() != BuildException.Kind.RUN_FAILED) {
                    build.events().failed(index, -1, e.getMessage());
                }
                throw e;
            } catch (IOException | PullException | DockerfileException e) {
                build.events().failed(index, -1, String.valueOf(e.getMessage()));
                throw e;
            }
        }
        return image;
    }

    private void step(
            BuildContextRun build,
            StageImage image,
            StageScope scope,
            MetadataInstructions metadata,
            Instruction resolved,
            Map<Integer, StageImage> built,
            int index,
            long started)
            throws IOException, BuildException, PullException {
        RunInstruction.StepResult result;
        switch (resolved) {
            case Instruction.Run run -> result = runs.run(build, image, run, scope.runEnvironment(), index);
            case Instruction.Copy copy -> result = copies.copy(build, image, copy, built, index);
            default -> {
                metadata.apply(resolved, image, scope.environment());
                image.cacheKey(CacheKeys.next(image.cacheKey(), List.of(InstructionText.of(resolved))));
                image.addEmptyLayer(
                        InstructionText.createdBy(resolved, image.shell()), RunInstruction.created(build, image));
                build.events().finished(index, false, System.nanoTime() - started, null);
                return;
            }
        }
        image.cacheKey(result.cacheKey());
        build.usedCacheKey(result.cacheKey());
        image.addLayer(result.layer(), InstructionText.createdBy(resolved, image.shell()), result.created());
        build.events()
                .finished(
                        index,
                        result.cached(),
                        System.nanoTime() - started,
                        new BuildEvents.LayerResult(
                                result.layer().digest(), result.layer().size()));
    }

    private StageImage base(BuildContextRun build, PlannedStage planned, Map<Integer, StageImage> built)
            throws IOException, BuildException, PullException {
        if (planned.baseStage() >= 0) {
            StageImage parent = built.get(planned.baseStage());
            return new StageImage(parent.json().deepCopy(), parent.layers(), parent.cacheKey());
        }
        BaseImages.Base base = tools.bases().resolve(build, planned.base(), planned.platform());
        ObjectNode config = base.config().deepCopy();
        return new StageImage(config, base.layers(), CacheKeys.base(base.imageId()));
    }
}
