package dev.berth.build.dockerfile;

import java.util.Optional;

/**
 * A stage the build needs, its FROM expanded: {@code base} is an image reference (or {@code scratch}) when
 * {@code baseStage} is -1, else the name of the earlier stage it builds on. {@code platform} is the
 * expanded {@code --platform}, empty when not given.
 */
public record PlannedStage(Stage stage, String base, int baseStage, String platform) {

    public Optional<Integer> baseStageIndex() {
        return baseStage < 0 ? Optional.empty() : Optional.of(baseStage);
    }
}
