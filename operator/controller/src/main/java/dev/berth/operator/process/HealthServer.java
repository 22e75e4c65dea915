package dev.berth.operator.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** /healthz, /readyz and /metrics on one port, for kubelet's probes and Prometheus. */
public final class HealthServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HealthProbe probe;
    private final ReconcileMetrics metrics;

    public HealthServer(int port, HealthProbe probe, ReconcileMetrics metrics) throws IOException {
        this.probe = probe;
        this.metrics = metrics;
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(executor);
        server.createContext("/healthz", exchange -> answer(exchange, probe.live()));
        server.createContext("/readyz", exchange -> answer(exchange, probe.ready()));
        server.createContext("/metrics", this::metrics);
        server.createContext("/", exchange -> send(exchange, 404, "text/plain", "try /healthz, /readyz or /metrics\n"));
    }

    public void start() {
        server.start();
        log.info("health and metrics endpoints on port {}", port());
    }

    /** The bound port (the chosen one when constructed with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void answer(HttpExchange exchange, boolean ok) throws IOException {
        send(exchange, ok ? 200 : 503, "text/plain", (ok ? "ok" : "not ok") + ": " + probe.describe() + "\n");
    }

    private void metrics(HttpExchange exchange) throws IOException {
        send(exchange, 200, PROMETHEUS_TEXT, metrics.render(probe.leader()));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", type);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
