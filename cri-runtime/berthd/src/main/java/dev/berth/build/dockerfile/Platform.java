package dev.berth.build.dockerfile;

/** An OCI platform; {@code variant} is empty when there is none (amd64) . */
public record Platform(String os, String architecture, String variant) {

    /** {@code linux/arm64/v8}, {@code linux/amd64}. */
    public String specifier() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
