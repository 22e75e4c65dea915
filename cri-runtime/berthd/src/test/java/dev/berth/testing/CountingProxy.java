package dev.berth.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of a real registry, used as a configured mirror: it
 * records every request path and can slow blob bodies down so a test can kill berthd mid-download.
 */
public final class CountingProxy implements AutoCloseable {

    private final HttpServer server;
    private final URI upstream;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong blobBytesServed = new AtomicLong();
    private volatile long blobDelayMillisPer64k;

    public CountingProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public long count(String pathPrefix) {
        return requests.stream().filter(r -> r.startsWith(pathPrefix)).count();
    }

    public long blobBytesServed() {
        return blobBytesServed.get();
    }

    public void slowBlobs(long millisPer64k) {
        this.blobDelayMillisPer64k = millisPer64k;
    }

    private void forward(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(exchange.getRequestMethod() + " " + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(path))
                .method(
                        exchange.getRequestMethod(),
                        HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody));
        for (String header : List.of("Accept", "Authorization")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length")
                        && !name.equalsIgnoreCase("transfer-encoding")
                        && !name.equalsIgnoreCase(":status")
                        && !name.equalsIgnoreCase("connection")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            long length = response.headers().firstValueAsLong("Content-Length").orElse(0);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.statusCode(), head || length == 0 ? -1 : length);
            boolean blob = path.contains("/blobs/");
            try (InputStream in = response.body();
                    OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    if (blob) {
                        blobBytesServed.addAndGet(n);
                        if (blobDelayMillisPer64k > 0) {
                            out.flush();
                            Thread.sleep(blobDelayMillisPer64k);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (a killed berthd): nothing to answer
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
