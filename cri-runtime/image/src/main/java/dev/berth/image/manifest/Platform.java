package dev.berth.image.manifest;

import java.util.Locale;

/** An OCI platform; {@code variant} is nullable. Names follow Go's GOOS/GOARCH, as images use them. */
public record Platform(String os, String architecture, String variant) {

    /** The platform this JVM runs on, in OCI terms. */
    public static Platform host() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> new Platform("linux", "amd64", null);
            case "aarch64", "arm64" -> new Platform("linux", "arm64", "v8");
            case "arm" -> new Platform("linux", "arm", "v7");
            case "x86", "i386", "i686" -> new Platform("linux", "386", null);
            case "ppc64le" -> new Platform("linux", "ppc64le", null);
            case "s390x" -> new Platform("linux", "s390x", null);
            case "riscv64" -> new Platform("linux", "riscv64", null);
            default -> new Platform("linux", arch, null);
        };
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
