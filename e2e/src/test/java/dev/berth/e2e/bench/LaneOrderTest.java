package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LaneOrderTest {

    @Test
    void evenRoundsKeepTheOrderAndOddRoundsReverseIt() {
        List<String> lanes = List.of("berthd", "floor", "containerd");

        assertThat(LaneOrder.forRound(lanes, 0)).containsExactly("berthd", "floor", "containerd");
        assertThat(LaneOrder.forRound(lanes, 1)).containsExactly("containerd", "floor", "berthd");
        assertThat(LaneOrder.forRound(lanes, 2)).containsExactly("berthd", "floor", "containerd");
    }

    @Test
    void overAnEvenNumberOfRoundsEveryLaneIsFirstAsOftenAsItsMirror() {
        List<String> lanes = List.of("berthd", "containerd");
        long berthdFirst = java.util.stream.IntStream.range(0, 10)
                .filter(round -> LaneOrder.forRound(lanes, round).getFirst().equals("berthd"))
                .count();

        assertThat(berthdFirst).isEqualTo(5);
    }
}
