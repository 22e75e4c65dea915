package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PodCidrsTest {

    @Test
    void keepsAnIpv4AndAnIpv6CidrAndClearsHostBits() {
        PodCidrs cidrs = PodCidrs.parse("10.244.1.7/24, fd00:10:244:1::5/64");

        assertThat(cidrs.cidrs()).containsExactly("10.244.1.0/24", "fd00:10:244:1:0:0:0:0/64");
        assertThat(cidrs.hasIpv4()).isTrue();
        assertThat(cidrs.hasIpv6()).isTrue();
    }

    @Test
    void rejectsWhatIsNoCidrWithoutLookingNamesUp() {
        for (String garbage : new String[] {
            "",
            "10.0.0.0",
            "10.0.0.0/33",
            "256.1.1.0/24",
            "localhost/24",
            "example.com/8",
            "::/129",
            "10.0.0.0/x",
            "10.0.0.0/24,,10.1.0.0/24"
        }) {
            assertThatThrownBy(() -> PodCidrs.parse(garbage)).as(garbage).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
