package dev.berth.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint ({@code GET /metrics}, text or protobuf exposition as the scraper asks) on the address
 * berth.yaml gives. The address is taken as configured: loopback by default, since the counters tell what runs on
 * the node; another address is the operator's choice. When the address is the default, a port already in use
 * leaves the node running without metrics (with a warning): the default must never keep pods from starting.
 * An address the operator wrote that cannot be bound stops berthd.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final MetricsAddress address;
    private final boolean optional;
    private final PrometheusRegistry registry;
    private HTTPServer server;

    /** @param optional whether a failure to bind is only a warning (the address is the default) */
    public MetricsServer(MetricsAddress address, boolean optional, PrometheusRegistry registry) {
        this.address = address;
        this.optional = optional;
        this.registry = registry;
    }

    public void start() throws IOException {
        try {
            server = HTTPServer.builder()
                    .inetAddress(InetAddress.getByName(address.host()))
                    .port(address.port())
                    .registry(registry)
                    .buildAndStart();
            log.info("metrics on http://{}/metrics", address.withPort(server.getPort()));
        } catch (IOException e) {
            if (!optional) {
                throw new IOException("metrics.address " + address + " cannot be served: " + e.getMessage(), e);
            }
            log.warn(
                    "metrics off: the default metrics.address {} cannot be served ({}); set metrics.address in"
                            + " berth.yaml to another address, or to \"\" to turn metrics off",
                    address,
                    e.getMessage());
        }
    }

    /** The bound port (the one the system picked for port 0); empty when not serving. */
    public OptionalInt port() {
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.getPort());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
