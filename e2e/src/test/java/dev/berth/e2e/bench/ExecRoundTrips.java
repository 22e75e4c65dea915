package dev.berth.e2e.bench;

import dev.berth.cri.v1.ExecRequest;
import dev.berth.streaming.StreamRequest;
import dev.berth.testing.SpdyStreamClient;
import dev.berth.testing.WebSocketStreamClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Exec round trips of {@code true}, interleaved so background load hits every column alike: kubelet's way
 * (the CRI Exec call, then the URL it answers over SPDY, as client-go, to the exit code in the v4 status),
 * the same over WebSocket v5, and the floor, {@code runc exec} of the same container run directly.
 */
final class ExecRoundTrips {

    private static final long FLOOR_TIMEOUT_SECONDS = 30;

    /** One column: each round trip's milliseconds and the exit code it reported, warm-ups excluded. */
    record Lane(List<Double> millis, List<Integer> exitCodes) {

        Lane() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        void add(long startNanos, int exitCode) {
            millis.add((System.nanoTime() - startNanos) / 1e6);
            exitCodes.add(exitCode);
        }
    }

    record Result(Lane spdy, Lane webSocket, Lane floor) {}

    private final CriClient cri;
    private final String containerId;
    private final Path runcRoot;
    private final Path scratch;

    ExecRoundTrips(CriClient cri, String containerId, Path runcRoot, Path scratch) {
        this.cri = cri;
        this.containerId = containerId;
        this.runcRoot = runcRoot;
        this.scratch = scratch;
    }

    Result run(int warmUps, int samples) throws IOException, InterruptedException {
        Lane spdy = new Lane();
        Lane webSocket = new Lane();
        Lane floor = new Lane();
        try (SpdyStreamClient spdyClient = new SpdyStreamClient();
                WebSocketStreamClient webSocketClient = new WebSocketStreamClient()) {
            for (int i = 0; i < warmUps + samples; i++) {
                boolean counted = i >= warmUps;
                long start = System.nanoTime();
                int code = spdyClient
                        .exec(execUrl(), new StreamRequest.Channels(false, true, true, false), (byte[]) null)
                        .exitCode()
                        .orElse(-1);
                if (counted) {
                    spdy.add(start, code);
                }
                start = System.nanoTime();
                code = runcExec();
                if (counted) {
                    floor.add(start, code);
                }
                start = System.nanoTime();
                code = webSocketClient
                        .exec(execUrl(), WebSocketStreamClient.V5, null, false)
                        .exitCode();
                if (counted) {
                    webSocket.add(start, code);
                }
            }
        }
        return new Result(spdy, webSocket, floor);
    }

    /** What kubelet asks for {@code kubectl exec pod -- true}: stdout and stderr, no stdin, no tty. */
    private URI execUrl() {
        return URI.create(cri.runtime()
                .exec(ExecRequest.newBuilder()
                        .setContainerId(containerId)
                        .addCmd("true")
                        .setStdout(true)
                        .setStderr(true)
                        .build())
                .getUrl());
    }

    /** The floor: {@code runc exec} of the container with nothing around it; its stderr kept for a failure. */
    private int runcExec() throws IOException, InterruptedException {
        File stderr = scratch.resolve("runc-exec.err").toFile();
        Process process = new ProcessBuilder(
                        ContainerdCri.RUNC.toString(), "--root", runcRoot.toString(), "exec", containerId, "true")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr)
                .start();
        if (!process.waitFor(FLOOR_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("runc exec did not finish within " + FLOOR_TIMEOUT_SECONDS + " s");
        }
        int code = process.exitValue();
        if (code != 0) {
            System.out.println("runc exec failed (" + code + "): "
                    + Files.readString(stderr.toPath()).strip());
        }
        return code;
    }
}
