package dev.berth.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version the build stamped into {@code dev/berth/version.properties}: one value for berthd's CRI
 * {@code runtime_version}, {@code berthd --version}, the operator and the berth command. It lives in cri-api
 * because every one of them has that jar, so the shaded jars hold one copy.
 */
public final class BerthVersion {

    private static final String RESOURCE = "/dev/berth/version.properties";

    private BerthVersion() {}

    /** The project version, e.g. {@code 0.2.0}; fails loudly on a jar the build did not stamp. */
    public static String current() {
        try (InputStream in = BerthVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            if (version == null || version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException(RESOURCE + " was not filtered by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
