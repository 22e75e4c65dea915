package dev.berth.e2e.bench;

import dev.berth.cri.v1.PortForwardRequest;
import dev.berth.testing.SpdyStreamClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The same GET of a large file from the pod's HTTP server, interleaved run by run: through the streaming
 * server as {@code kubectl port-forward} does it (the CRI PortForward call, the URL over SPDY, one forwarded
 * connection), and over a plain TCP connection from the host to the pod's IP; then many forwarded
 * connections at once on one session, against as many direct ones. Each figure includes its setup (the
 * CRI call and the upgrade, the TCP connect), as a client pays it.
 */
final class PortForwardThroughput {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** Throughputs in MB/s (10^6 bytes) and the body bytes each transfer received. */
    record Result(
            List<Double> forwardMBps,
            List<Long> forwardBytes,
            List<Double> directMBps,
            List<Long> directBytes,
            int concurrent,
            double concurrentForwardMBps,
            List<Long> concurrentForwardBytes,
            double concurrentDirectMBps,
            List<Long> concurrentDirectBytes) {}

    private final CriClient cri;
    private final String podId;
    private final String podIp;
    private final int port;
    private final String path;

    PortForwardThroughput(CriClient cri, String podId, String podIp, int port, String path) {
        this.cri = cri;
        this.podId = podId;
        this.podIp = podIp;
        this.port = port;
        this.path = path;
    }

    Result run(int runs, int concurrent) throws Exception {
        List<Double> forwardMBps = new ArrayList<>();
        List<Long> forwardBytes = new ArrayList<>();
        List<Double> directMBps = new ArrayList<>();
        List<Long> directBytes = new ArrayList<>();
        List<Long> concurrentForward = new ArrayList<>();
        List<Long> concurrentDirect = new ArrayList<>();
        try (SpdyStreamClient client = new SpdyStreamClient();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                long bytes = forwarded(client, 1, threads).getFirst();
                forwardMBps.add(megabytesPerSecond(bytes, start));
                forwardBytes.add(bytes);
                start = System.nanoTime();
                bytes = direct();
                directMBps.add(megabytesPerSecond(bytes, start));
                directBytes.add(bytes);
            }
            long start = System.nanoTime();
            concurrentForward.addAll(forwarded(client, concurrent, threads));
            double forwardAggregate = megabytesPerSecond(sum(concurrentForward), start);
            start = System.nanoTime();
            List<Future<Long>> directs = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                directs.add(threads.submit(this::direct));
            }
            for (Future<Long> transfer : directs) {
                concurrentDirect.add(transfer.get());
            }
            double directAggregate = megabytesPerSecond(sum(concurrentDirect), start);
            return new Result(
                    forwardMBps,
                    forwardBytes,
                    directMBps,
                    directBytes,
                    concurrent,
                    forwardAggregate,
                    concurrentForward,
                    directAggregate,
                    concurrentDirect);
        }
    }

    /** One PortForward call and one SPDY session carrying {@code connections} GETs at once; their body bytes. */
    private List<Long> forwarded(SpdyStreamClient client, int connections, ExecutorService threads) throws Exception {
        URI url = URI.create(cri.runtime()
                .portForward(PortForwardRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .addPort(port)
                        .build())
                .getUrl());
        try (SpdyStreamClient.PortForwardSession session = client.openSession(url)) {
            List<Future<Long>> transfers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                transfers.add(threads.submit(() -> {
                    try (SpdyStreamClient.Connection connection = session.connect(port)) {
                        long body = HttpGet.fetch(path, connection.input(), connection.output());
                        // as a local client does once it has the answer; the server ends the pair when both sides are
                        // done
                        connection.output().close();
                        String error = connection.awaitError();
                        if (!error.isEmpty()) {
                            throw new IOException("port forward error stream: " + error);
                        }
                        return body;
                    }
                }));
            }
            List<Long> bodies = new ArrayList<>();
            for (Future<Long> transfer : transfers) {
                bodies.add(transfer.get());
            }
            return bodies;
        }
    }

    private long direct() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(podIp, port), CONNECT_TIMEOUT_MILLIS);
            return HttpGet.fetch(path, socket.getInputStream(), socket.getOutputStream());
        }
    }

    private static double megabytesPerSecond(long bytes, long startNanos) {
        return bytes / 1e6 / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static long sum(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }
}
