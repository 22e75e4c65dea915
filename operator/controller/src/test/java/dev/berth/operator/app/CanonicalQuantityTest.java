package dev.berth.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalQuantityTest {

    /** What kube-apiserver 1.32 writes back for each amount (apimachinery quantity.go CanonicalizeBytes). */
    @ParameterizedTest
    @CsvSource({
        "1024Mi, 1Gi",
        "1536Mi, 1536Mi",
        "1Gi, 1Gi",
        "512Ki, 512Ki",
        "0.5, 500m",
        "1000, 1k",
        "1500m, 1500m",
        "100M, 100M",
        "0, 0",
        "1e3, 1e3"
    })
    void writesAmountsAsTheApiServerStoresThem(String amount, String stored) {
        assertThat(CanonicalQuantity.of(amount)).isEqualTo(stored);
    }
}
