package dev.berth.image.registry;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The registry's one HTTP client, built on the first request: building it loads the TLS stack and parses the
 * JDK's trust store, half a second and ~25 MiB that a node which never pulls (or not yet) should not pay for
 * at start.
 */
final class RegistryHttp {

    private final Duration connectTimeout;
    private final Executor executor;
    private volatile HttpClient client;

    RegistryHttp(Duration connectTimeout, Executor executor) {
        this.connectTimeout = connectTimeout;
        this.executor = executor;
    }

    HttpClient client() {
        HttpClient built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(connectTimeout)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .executor(executor)
                            .build();
                    client = built;
                }
            }
        }
        return built;
    }
}
