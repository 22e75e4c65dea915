package dev.berth.timing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhaseTimerTest {

    @Test
    void summaryListsLapsAndRecordedPhasesInOrderThenTheTotal() throws Exception {
        PhaseTimer timer = new PhaseTimer();
        Thread.sleep(5);
        timer.lap("first");
        timer.record("elsewhere", 2_500_000);
        timer.lap("second");

        String summary = timer.summary();

        assertThat(summary).matches("first=\\d+\\.\\d\\d elsewhere=2\\.50 second=\\d+\\.\\d\\d total=\\d+\\.\\d\\d");
        double first = Double.parseDouble(summary.replaceAll("^first=([0-9.]+) .*", "$1"));
        assertThat(first).isGreaterThanOrEqualTo(5.0);
    }
}
