package dev.berth.image.registry;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Registry hosts by name ({@code docker.io}, {@code registry.example.com:5000}). */
public record RegistryConfig(Map<String, RegistryHost> hosts) {

    public RegistryConfig {
        hosts = hosts == null ? Map.of() : Map.copyOf(hosts);
    }

    public static RegistryConfig empty() {
        return new RegistryConfig(Map.of());
    }

    /** Where to ask for a repository of {@code registry}: its mirrors, then (unless mirrors only) itself. */
    List<Endpoint> endpoints(String registry) {
        RegistryHost host = hosts.getOrDefault(registry, new RegistryHost(List.of(), false, false));
        List<Endpoint> endpoints = new ArrayList<>();
        for (URI mirror : host.mirrors()) {
            endpoints.add(new Endpoint(mirror, false));
        }
        if (!host.mirrorsOnly() || host.mirrors().isEmpty()) {
            endpoints.add(upstream(registry));
        }
        return endpoints;
    }

    /**
     * The registry itself, never a mirror: pushes go there whatever the pull configuration says, as
     * mirrors are read-only caches.
     */
    Endpoint upstream(String registry) {
        RegistryHost host = hosts.getOrDefault(registry, new RegistryHost(List.of(), false, false));
        String scheme = host.plainHttp() || isLoopback(registry) ? "http" : "https";
        String authority = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
        return new Endpoint(URI.create(scheme + "://" + authority), true);
    }

    static boolean isLoopback(String hostAndPort) {
        String host = hostAndPort;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
            return host.equals("::1");
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}");
    }

    /** One base URL to talk the distribution protocol to; {@code upstream} is the registry itself, not a mirror. */
    record Endpoint(URI base, boolean upstream) {

        URI resolve(String pathAfterV2) {
            String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
            return URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + "/v2/" + pathAfterV2);
        }

        @Override
        public String toString() {
            return base.toString();
        }
    }
}
