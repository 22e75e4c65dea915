package dev.berth.daemon;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.image.manifest.Platform;
import dev.berth.image.registry.PushSettings;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.image.registry.RegistryHost;
import dev.berth.logging.LogFormat;
import dev.berth.logging.LogSettings;
import dev.berth.metrics.MetricsAddress;
import dev.berth.network.CniSettings;
import dev.berth.oci.SeccompWhenUnset;
import dev.berth.streaming.StreamingSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * {@code /etc/berth/berth.yaml}. Every key is optional: an absent file or key means the embedded
 * default, which runs a working node.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record BerthConfig(
        String root,
        String state,
        String socket,
        Images images,
        Map<String, Registry> registries,
        Map<String, Runtime> runtimes,
        Network network,
        Streaming streaming,
        Security security,
        Metrics metrics,
        Log log) {

    public static final String DEFAULT_ROOT = "/var/lib/berth";
    public static final String DEFAULT_STATE = "/run/berth";

    public static BerthConfig defaults() {
        return new BerthConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    public Path rootDir() {
        return Path.of(root == null ? DEFAULT_ROOT : root);
    }

    public Path stateDir() {
        return Path.of(state == null ? DEFAULT_STATE : state);
    }

    public Path socketPath() {
        return socket == null ? stateDir().resolve("berth.sock") : Path.of(socket);
    }

    public Images imagesOrDefault() {
        return images == null ? new Images(null, null, null) : images;
    }

    public RegistryConfig registryConfig() {
        Map<String, RegistryHost> hosts = new LinkedHashMap<>();
        if (registries != null) {
            // `registries: {host: }` names a host with no settings of its own: it gets the defaults
            registries.forEach((host, registry) ->
                    hosts.put(host, (registry == null ? new Registry(null, null, null) : registry).toHost(host)));
        }
        return new RegistryConfig(hosts);
    }

    public BerthConfig withPaths(String root, String state, String socket) {
        return new BerthConfig(
                root != null ? root : this.root,
                state != null ? state : this.state,
                socket != null ? socket : this.socket,
                images,
                registries,
                runtimes,
                network,
                streaming,
                security,
                metrics,
                log);
    }

    public Network networkOrDefault() {
        return network == null ? new Network(null, null, null, null, null) : network;
    }

    /** CNI's settings: berth.yaml's {@code network} over the defaults, state under the state dir. */
    public CniSettings cniSettings() {
        Network net = networkOrDefault();
        CniSettings defaults = CniSettings.defaults(stateDir());
        return new CniSettings(
                net.confDir() == null ? defaults.confDir() : Path.of(net.confDir()),
                net.pluginDirs() == null
                        ? defaults.pluginDirs()
                        : net.pluginDirs().stream().map(Path::of).toList(),
                defaults.stateDir(),
                net.bridge() == null ? defaults.defaultBridge() : net.bridge(),
                net.subnet() == null ? defaults.defaultSubnet() : net.subnet());
    }

    public StreamingSettings streamingSettings() {
        return streaming == null ? StreamingSettings.loopback() : streaming.toSettings();
    }

    public Security securityOrDefault() {
        return security == null ? new Security(null) : security;
    }

    /** Where {@code /metrics} is served; empty when {@code metrics.address} is {@code ""}. */
    public Optional<MetricsAddress> metricsAddress() {
        String address = metricsAddressGiven() ? metrics.address() : Metrics.DEFAULT_ADDRESS;
        return address.isBlank() ? Optional.empty() : Optional.of(MetricsAddress.parse("metrics.address", address));
    }

    /** Whether berth.yaml names the metrics address (else the default, which gives way to a port in use). */
    public boolean metricsAddressGiven() {
        return metrics != null && metrics.address() != null;
    }

    /** berthd's own log: {@code log.format}, {@code log.level}, levels of single loggers ({@code log.loggers}). */
    public LogSettings logSettings() {
        return log == null ? LogSettings.defaults() : log.toSettings();
    }

    /** RuntimeClass handlers besides the built-in runc ({@code ""} and {@code "runc"}): name → binary. */
    public Map<String, Runtime> runtimesOrDefault() {
        return runtimes == null ? Map.of() : runtimes;
    }

    /** An OCI runtime with runc's command line (runc, crun, runsc, kata-runtime…); {@code root} is its state dir. */
    public record Runtime(String path, String root) {}

    /**
     * CNI: the first conflist in {@code confDir} wins; without one, the default bridge network ({@code bridge},
     * {@code subnet}) is used, wired by berthd over netlink or, with {@code default: cni}, through the embedded
     * conflist's CNI plugins.
     */
    public record Network(
            String confDir,
            List<String> pluginDirs,
            String bridge,
            String subnet,
            @JsonProperty("default") String defaultForm) {}

    /**
     * The streaming server for Exec, Attach and PortForward. kubelet proxies clients to it, so loopback
     * (the default) is enough unless another host must reach it; a random free port by default.
     * Durations are Go-style: {@code 4h}, {@code 30s}, {@code 1h30m}.
     */
    public record Streaming(
            String address,
            Integer port,
            String tlsCert,
            String tlsKey,
            String idleTimeout,
            String streamCreationTimeout) {

        StreamingSettings toSettings() {
            StreamingSettings defaults = StreamingSettings.loopback();
            return new StreamingSettings(
                    address == null || address.isBlank() ? defaults.address() : address,
                    port == null ? defaults.port() : port,
                    tlsCert == null ? null : Path.of(tlsCert),
                    tlsKey == null ? null : Path.of(tlsKey),
                    idleTimeout == null
                            ? defaults.idleTimeout()
                            : GoDurations.parse("streaming.idleTimeout", idleTimeout),
                    streamCreationTimeout == null
                            ? defaults.streamCreationTimeout()
                            : GoDurations.parse("streaming.streamCreationTimeout", streamCreationTimeout));
        }
    }

    /**
     * The Prometheus endpoint, {@code host:port}: loopback by default, any address the operator writes is served as
     * written; {@code ""} turns it off.
     */
    public record Metrics(String address) {
        public static final String DEFAULT_ADDRESS = "127.0.0.1:1338";
    }

    /**
     * {@code format}: text (default) or json, one object a line; {@code level}: error, warn, info (default), debug
     * or trace; {@code loggers}: a level for a logger or package, e.g. {@code dev.berth.sandbox: debug}.
     */
    public record Log(String format, String level, Map<String, String> loggers) {

        LogSettings toSettings() {
            Map<String, Level> levels = new LinkedHashMap<>();
            if (loggers != null) {
                loggers.forEach((name, value) ->
                        levels.put(name, LogSettings.parseLevel("log.loggers." + name, String.valueOf(value))));
            }
            return LogSettings.of(
                    format == null ? LogFormat.TEXT : LogFormat.parse("log.format", format),
                    level == null ? Level.INFO : LogSettings.parseLevel("log.level", level),
                    levels);
        }
    }

    /** Container security defaults the CRI request leaves open. */
    public record Security(SeccompWhenUnset seccompWhenUnset) {

        /** A request without a seccomp profile runs Unconfined, as CRI defines it, unless berth.yaml says otherwise. */
        public SeccompWhenUnset seccompWhenUnsetOrDefault() {
            return seccompWhenUnset == null ? SeccompWhenUnset.Unconfined : seccompWhenUnset;
        }
    }

    /**
     * Pull and push tuning. {@code pullProgressTimeout} (Go-style, as containerd's {@code image_pull_progress_timeout},
     * default 5m, {@code 0s} disables) fails a registry read that brings no byte for that long. A push sends blobs
     * over {@code pushChunkedAbove} bytes in PATCH chunks of {@code pushChunkSize} (both default 64 MiB), at most
     * {@code maxConcurrentUploads} (default 3) at a time.
     */
    public record Images(
            Integer maxConcurrentDownloads,
            String platform,
            String pullProgressTimeout,
            Long pushChunkedAbove,
            Long pushChunkSize,
            Integer maxConcurrentUploads) {

        public Images(Integer maxConcurrentDownloads, String platform, String pullProgressTimeout) {
            this(maxConcurrentDownloads, platform, pullProgressTimeout, null, null, null);
        }

        public PushSettings pushSettings() {
            PushSettings defaults = PushSettings.DEFAULT;
            return new PushSettings(
                    pushChunkedAbove == null ? defaults.chunkedAbove() : pushChunkedAbove,
                    pushChunkSize == null ? defaults.chunkSize() : pushChunkSize,
                    maxConcurrentUploads == null ? defaults.maxConcurrentUploads() : maxConcurrentUploads);
        }

        public Duration pullProgressTimeoutOrDefault() {
            return pullProgressTimeout == null
                    ? RegistryClient.DEFAULT_PROGRESS_TIMEOUT
                    : GoDurations.parse("images.pullProgressTimeout", pullProgressTimeout);
        }

        public int maxConcurrentDownloadsOrDefault() {
            return maxConcurrentDownloads == null ? 3 : maxConcurrentDownloads;
        }

        /** {@code os/arch[/variant]}, as in an image index; the node's own when absent. */
        public Platform platformOrHost() {
            if (platform == null || platform.isBlank()) {
                return Platform.host();
            }
            String[] parts = platform.split("/");
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException("images.platform must be os/arch[/variant], not " + platform);
            }
            return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
        }
    }

    /**
     * One registry host: mirrors tried in order, then the host itself unless {@code mirrorsOnly}
     * (air-gapped nodes); {@code plainHttp} for registries without TLS.
     */
    public record Registry(List<String> mirrors, Boolean mirrorsOnly, Boolean plainHttp) {

        RegistryHost toHost(String host) {
            List<URI> uris = mirrors == null
                    ? List.of()
                    : mirrors.stream().map(m -> parseMirror(host, m)).toList();
            return new RegistryHost(uris, Boolean.TRUE.equals(mirrorsOnly), Boolean.TRUE.equals(plainHttp));
        }

        private static URI parseMirror(String host, String mirror) {
            URI uri = URI.create(mirror.contains("://") ? mirror : "https://" + mirror);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException(
                        "mirror " + mirror + " of " + host + " must be an http or https URL");
            }
            return uri;
        }
    }
}
