package dev.berth.e2e.bench;

import java.io.PrintStream;
import java.util.List;

/** Prints {@link StreamingBenchmark}'s figures: a table per measurement, then one summary line per goal. */
final class StreamingReport {

    static final double EXEC_GOAL = 1.5;
    static final double FORWARD_GOAL = 0.8;

    private final PrintStream out;

    StreamingReport(PrintStream out) {
        this.out = out;
    }

    void print(StreamingBenchmark.Result r) {
        ExecRoundTrips.Result exec = r.exec();
        PortForwardThroughput.Result pf = r.portForward();
        out.println();
        out.printf(
                "STREAMING BENCHMARK: %d exec round trips of `true` per column after %d warm-ups, interleaved;"
                        + " %d GETs of %d MiB per column, interleaved%n",
                exec.spdy().millis().size(),
                StreamingBenchmark.WARM_UPS,
                pf.forwardMBps().size(),
                r.fileBytes() >> 20);
        out.printf(
                "%-44s %8s %8s %8s %8s%n",
                "exec (from the Exec RPC to the exit code)", "p50 ms", "p95 ms", "min ms", "max ms");
        execRow("SPDY/3.1, v4 status (kubectl via kubelet)", exec.spdy());
        execRow("WebSocket v5.channel.k8s.io", exec.webSocket());
        execRow("runc exec run directly (floor)", exec.floor());
        out.printf("%-44s %8s %8s %8s%n", "GET /big (setup included)", "median", "min", "max");
        rateRow("port forward: PortForward RPC + SPDY", pf.forwardMBps());
        rateRow("direct TCP to the pod IP", pf.directMBps());
        out.printf(
                "%d connections at once: port forward on one session %.0f MB/s aggregate, %d direct %.0f MB/s%n",
                pf.concurrent(), pf.concurrentForwardMBps(), pf.concurrent(), pf.concurrentDirectMBps());

        Percentiles spdy = Percentiles.of(exec.spdy().millis());
        Percentiles floor = Percentiles.of(exec.floor().millis());
        Percentiles webSocket = Percentiles.of(exec.webSocket().millis());
        double execRatio = spdy.median() / floor.median();
        out.printf(
                "streaming: exec p50 %.1f ms p95 %.1f ms | runc exec floor p50 %.1f ms p95 %.1f ms | ratio %.2f"
                        + " (goal <= %.1f: %s) | WebSocket v5 p50 %.1f ms p95 %.1f ms%n",
                spdy.median(),
                spdy.p95(),
                floor.median(),
                floor.p95(),
                execRatio,
                EXEC_GOAL,
                execRatio <= EXEC_GOAL ? "PASS" : "MISS",
                webSocket.median(),
                webSocket.p95());
        double forward = Percentiles.of(pf.forwardMBps()).median();
        double direct = Percentiles.of(pf.directMBps()).median();
        double forwardRatio = forward / direct;
        out.printf(
                "streaming: port-forward %.0f MB/s | direct TCP %.0f MB/s | ratio %.2f (goal >= %.1f: %s)"
                        + " | %d connections on one session %.0f MB/s aggregate%n",
                forward,
                direct,
                forwardRatio,
                FORWARD_GOAL,
                forwardRatio >= FORWARD_GOAL ? "PASS" : "MISS",
                pf.concurrent(),
                pf.concurrentForwardMBps());
        if (!r.leftovers().isEmpty()) {
            out.println("left behind after the pod's removal: " + r.leftovers());
        }
    }

    private void execRow(String name, ExecRoundTrips.Lane lane) {
        Percentiles p = Percentiles.of(lane.millis());
        out.printf("%-44s %8.1f %8.1f %8.1f %8.1f%n", name, p.median(), p.p95(), p.min(), p.max());
    }

    /** Percentiles is for milliseconds but its median, min and max serve any samples. */
    private void rateRow(String name, List<Double> mbps) {
        Percentiles p = Percentiles.of(mbps);
        out.printf("%-44s %6.0f MB/s %6.0f %6.0f%n", name, p.median(), p.min(), p.max());
    }
}
