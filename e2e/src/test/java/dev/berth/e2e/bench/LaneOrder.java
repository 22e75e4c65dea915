package dev.berth.e2e.bench;

import java.util.List;

/**
 * The order lanes take their turn in one round of a comparison: as given on even rounds, reversed on odd ones, so
 * that no lane always runs first (on a cold cache, after an idle pause) or always right after the same neighbour.
 * Given {@code [berthd, floor, containerd]}, berthd goes first on even rounds, containerd on odd ones, and the floor
 * stays between them.
 */
final class LaneOrder {

    private LaneOrder() {}

    static <T> List<T> forRound(List<T> lanes, int round) {
        return round % 2 == 0 ? List.copyOf(lanes) : List.copyOf(lanes).reversed();
    }
}
