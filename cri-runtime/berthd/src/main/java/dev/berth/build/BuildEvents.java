package dev.berth.build;

import dev.berth.imagestore.PullWatch;

/** What a build tells its client while it goes; called from the build's thread and from output readers. */
public interface BuildEvents {

    void started(Step step, int total);

    /** {@code stderr} false: the process's stdout. */
    void output(int index, boolean stderr, byte[] data);

    /** {@code layer} is null for a step that made no layer. */
    void finished(int index, boolean cached, long durationNanos, LayerResult layer);

    /** {@code exitCode} -1 when the step failed for another reason than a RUN's exit. */
    void failed(int index, int exitCode, String message);

    /** A FROM image is being pulled: its progress, to be sampled until the pull returns. */
    void pulling(PullWatch watch);

    /** The pull {@link #pulling} announced has ended. */
    void pulled();

    /** One step as the client sees it: 1-based index, stage label, instruction text, file and line. */
    record Step(int index, String stage, String instruction, String file, int line) {}

    record LayerResult(String digest, long size) {}
}
