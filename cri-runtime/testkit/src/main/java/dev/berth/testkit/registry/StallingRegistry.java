package dev.berth.testkit.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A registry on 127.0.0.1 that serves what a real {@link RegistryFixture} holds but can misbehave as a
 * registry under faults does: stall before sending headers, stall in the middle of a body (a manifest or
 * a blob), or trickle a body a byte at a time. A stall lasts until {@link #release()} or {@link #close()};
 * one rule at a time applies, to requests whose path contains its {@code pathPart}.
 */
public final class StallingRegistry implements AutoCloseable {

    private enum Point {
        BEFORE_HEADERS,
        MID_BODY,
        TRICKLE
    }

    private record Rule(Point point, String pathPart, Duration gap, int bytes) {}

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final URI upstream;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Rule rule;
    private volatile CountDownLatch released = new CountDownLatch(1);

    public StallingRegistry(RegistryFixture upstream) throws IOException {
        this.upstream = upstream.baseUri();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", this::serve);
        server.start();
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:PORT/<repoAndTag>}: pulled through this registry. */
    public String reference(String repoAndTag) {
        return hostPort() + "/" + repoAndTag;
    }

    /** Requests whose path contains {@code pathPart} never get their headers until released. */
    public void stallBeforeHeaders(String pathPart) {
        rule = new Rule(Point.BEFORE_HEADERS, pathPart, null, 0);
    }

    /** Requests whose path contains {@code pathPart} get headers and half the body, then nothing until released. */
    public void stallMidBody(String pathPart) {
        rule = new Rule(Point.MID_BODY, pathPart, null, 0);
    }

    /** The first {@code bytes} bytes of matching bodies come one at a time, {@code gap} apart; then the rest. */
    public void trickle(String pathPart, Duration gap, int bytes) {
        rule = new Rule(Point.TRICKLE, pathPart, gap, bytes);
    }

    /** Ends the rule and lets every stalled answer go on. */
    public void release() {
        rule = null;
        CountDownLatch stalled = released;
        released = new CountDownLatch(1);
        stalled.countDown();
    }

    /** How many requests had {@code pathPart} in their path. */
    public long count(String pathPart) {
        return requests.stream().filter(r -> r.contains(pathPart)).count();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(exchange.getRequestMethod() + " " + path);
        Rule applied = rule;
        if (applied != null && !path.contains(applied.pathPart())) {
            applied = null;
        }
        CountDownLatch release = released;
        try {
            if (applied != null && applied.point() == Point.BEFORE_HEADERS) {
                release.await();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(path))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            for (String header : List.of("Accept", "Authorization")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length")
                        && !name.equalsIgnoreCase("transfer-encoding")
                        && !name.equalsIgnoreCase(":status")
                        && !name.equalsIgnoreCase("connection")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] body = response.body();
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.statusCode(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    writeBody(out, body, response.statusCode() == 200 ? applied : null, release);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (a stalled read it gave up on): nothing to answer
        } finally {
            exchange.close();
        }
    }

    private static void writeBody(OutputStream out, byte[] body, Rule applied, CountDownLatch release)
            throws IOException, InterruptedException {
        int from = 0;
        if (applied != null && applied.point() == Point.MID_BODY) {
            from = body.length / 2;
            out.write(body, 0, from);
            out.flush();
            release.await();
        } else if (applied != null && applied.point() == Point.TRICKLE) {
            for (; from < Math.min(applied.bytes(), body.length); from++) {
                out.write(body[from]);
                out.flush();
                Thread.sleep(applied.gap().toMillis());
            }
        }
        out.write(body, from, body.length - from);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        handlers.shutdownNow();
    }
}
