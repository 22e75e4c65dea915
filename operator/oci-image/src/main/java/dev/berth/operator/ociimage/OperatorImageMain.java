package dev.berth.operator.ociimage;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code OperatorImageMain --jar berth-operator-all.jar --output DIR --tag TAG}: what the {@code oci-image}
 * Maven profile runs. Prints the layout's name for skopeo, the manifest digest and the size.
 * {@code OperatorImageMain --jar berth-operator-all.jar --context DIR}: what the {@code build-context} profile
 * runs, the context {@code berth build -f operator/Dockerfile DIR} builds the same image from.
 */
public final class OperatorImageMain {
    private static final String USAGE = "usage: OperatorImageMain --jar OPERATOR_JAR --output LAYOUT_DIR --tag TAG\n"
            + "       OperatorImageMain --jar OPERATOR_JAR --context DIR";

    private OperatorImageMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!List.of("--jar", "--output", "--tag", "--context").contains(args[i])) {
                throw new IllegalArgumentException("unknown flag " + args[i] + "; " + USAGE);
            }
            flags.put(args[i], args[i + 1]);
        }
        boolean context = flags.containsKey("--context");
        if (args.length % 2 != 0 || !flags.containsKey("--jar") || flags.size() != (context ? 2 : 3)) {
            throw new IllegalArgumentException(USAGE);
        }
        long t0 = System.nanoTime();
        if (context) {
            Path dir = Path.of(flags.get("--context"));
            new OperatorImage().writeContext(Path.of(flags.get("--jar")), dir);
            System.out.printf(
                    "berth-operator build context %s, written in %.1f s; build it with"
                            + " berth build -f operator/Dockerfile %s%n",
                    dir, (System.nanoTime() - t0) / 1e9, dir);
            return;
        }
        OperatorImage.BuiltImage image = new OperatorImage()
                .build(Path.of(flags.get("--jar")), Path.of(flags.get("--output")), flags.get("--tag"));
        System.out.printf(
                "berth-operator image oci:%s:%s %s, %.1f MiB compressed, built in %.1f s%n",
                image.layout(),
                image.tag(),
                image.manifestDigest(),
                image.size() / (1024.0 * 1024.0),
                (System.nanoTime() - t0) / 1e9);
    }
}
