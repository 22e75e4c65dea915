package dev.berth.e2e.bench;

/** One column of the benchmark: a way to start "pod number {@code index}" and to remove all it started. */
interface PodStarter {

    String name();

    /** Starts one pod (or the floor's one container) and returns the milliseconds that took. */
    double startPod(int index) throws Exception;

    /** Stops and removes everything it started, including what a failed start left half-made. */
    void removeAll() throws Exception;
}
