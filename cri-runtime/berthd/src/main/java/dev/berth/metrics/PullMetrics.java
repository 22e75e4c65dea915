package dev.berth.metrics;

/** What image pulls report, by the registry of the reference pulled (as written, not the mirror that served it). */
public interface PullMetrics {

    PullMetrics NONE = new PullMetrics() {
        @Override
        public void downloaded(String registry, long bytes) {}

        @Override
        public void pulled(String registry, long nanos) {}

        @Override
        public void failed(String registry, String reason) {}
    };

    /** Blob bytes (manifest, config, layer) fetched from the registry, as each blob lands. */
    void downloaded(String registry, long bytes);

    /** One pull done; a pull shared by concurrent callers counts once. */
    void pulled(String registry, long nanos);

    /** One pull failed, {@code reason} a small fixed vocabulary ({@code not_found}, {@code unavailable}...). */
    void failed(String registry, String reason);
}
