package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CleanupStepsTest {

    @Test
    void everyStepRunsAndTheFirstFailureIsThrownWithTheLaterOnesSuppressed() {
        CleanupSteps steps = new CleanupSteps();
        boolean[] ran = new boolean[1];
        assertThat(steps.run("CNI DEL", () -> {
                    throw new IOException("plugin failed");
                }))
                .isFalse();
        assertThat(steps.run("rootfs", () -> ran[0] = true)).isTrue();
        assertThat(steps.run("bundle", () -> {
                    throw new IllegalStateException("busy");
                }))
                .isFalse();
        assertThat(ran[0]).isTrue();
        assertThatThrownBy(steps::finish)
                .hasMessage("plugin failed")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    }

    @Test
    void phasesNameTheStepsThatSucceededWithoutThePathsTheyName() {
        CleanupSteps steps = new CleanupSteps();
        steps.run("pod cgroup /berth/pod-1234", () -> {});
        steps.run("runtime delete", () -> {});
        steps.run("exit file", () -> {
            throw new IOException("gone");
        });
        assertThat(steps.phases()).matches("pod-cgroup=[0-9.]+ runtime-delete=[0-9.]+ total=[0-9.]+");
    }
}
