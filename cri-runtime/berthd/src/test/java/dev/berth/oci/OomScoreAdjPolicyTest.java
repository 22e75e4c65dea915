package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OomScoreAdjPolicyTest {

    @Test
    void withoutSysResourceALowerValueIsRaisedToBerthdsOwn() {
        OomScoreAdjPolicy policy = new OomScoreAdjPolicy(false, () -> -500);
        assertThat(policy.effective(-998)).isEqualTo(-500);
        assertThat(policy.effective(1000)).isEqualTo(1000);
    }

    @Test
    void withSysResourceAnyValueIsKept() {
        OomScoreAdjPolicy policy = new OomScoreAdjPolicy(true, () -> 0);
        assertThat(policy.effective(-998)).isEqualTo(-998);
    }

    @Test
    void valuesOutsideTheKernelRangeAreClamped() {
        OomScoreAdjPolicy policy = new OomScoreAdjPolicy(true, () -> 0);
        assertThat(policy.effective(5000)).isEqualTo(1000);
        assertThat(policy.effective(-5000)).isEqualTo(-1000);
    }
}
