package dev.berth.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void onFailureWithALimitRestartsFailuresThatOften() {
        RestartPolicy policy = RestartPolicy.parse("on-failure:2").orElseThrow();
        assertThat(policy.restarts(3, 0)).isTrue();
        assertThat(policy.restarts(3, 1)).isTrue();
        assertThat(policy.restarts(3, 2)).isFalse();
        assertThat(policy.restarts(0, 0)).isFalse();
    }

    @Test
    void onFailureWithoutALimitAndAlwaysKeepRestarting() {
        assertThat(RestartPolicy.parse("on-failure").orElseThrow().restarts(1, 1_000))
                .isTrue();
        assertThat(RestartPolicy.parse("always").orElseThrow().restarts(0, 1_000))
                .isTrue();
    }

    @Test
    void noAndAbsentNeverRestartAndUnknownPoliciesAreNotGuessed() {
        assertThat(RestartPolicy.parse("no").orElseThrow().restarts(1, 0)).isFalse();
        assertThat(RestartPolicy.parse(null).orElseThrow().restarts(1, 0)).isFalse();
        assertThat(RestartPolicy.parse("sometimes")).isEmpty();
        assertThat(RestartPolicy.parse("on-failure:x")).isEmpty();
    }

    @Test
    void onlyTheCliPodsWithoutKubeletsLabelsAreActedOn() {
        assertThat(CliPodAnnotations.cliOwned(Map.of("dev.berth.cli/name", "web")))
                .isTrue();
        assertThat(CliPodAnnotations.cliOwned(Map.of("dev.berth.cli/name", "web", "io.kubernetes.pod.uid", "u")))
                .isFalse();
        assertThat(CliPodAnnotations.cliOwned(Map.of("io.kubernetes.pod.uid", "u")))
                .isFalse();
    }
}
