package dev.berth.image.registry;

import java.net.URI;
import java.util.List;

/** Configuration of one registry host: mirrors tried in order, whether only they may serve, and TLS. */
public record RegistryHost(List<URI> mirrors, boolean mirrorsOnly, boolean plainHttp) {

    public RegistryHost {
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    }
}
