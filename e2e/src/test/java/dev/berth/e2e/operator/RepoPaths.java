package dev.berth.e2e.operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the checkout keeps what the operator tests apply: the generated CRDs, the examples, the operator jar. */
public final class RepoPaths {
    private final Path root;

    private RepoPaths(Path root) {
        this.root = root;
    }

    /** Walks up from the working directory (Maven runs tests in e2e/) to the directory holding crds/. */
    public static RepoPaths locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("crds")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return new RepoPaths(p);
            }
        }
        throw new IllegalStateException("no crds/ directory above " + dir + "; run the tests from the Berth checkout");
    }

    public Path root() {
        return root;
    }

    /** The CRD files, sorted; fails when there are none (run ./berth crds). */
    public List<Path> crdFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("crds"))) {
            List<Path> crds = files.filter(f -> f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
            if (crds.isEmpty()) {
                throw new IllegalStateException(
                        "no CRD YAML in " + root.resolve("crds") + "; generate it with ./berth crds");
            }
            return crds;
        }
    }

    public Path example(String fileName) {
        return root.resolve("crds/examples").resolve(fileName);
    }

    /** The shaded operator jar; fails with the build command when it has not been built. */
    public Path operatorJar() throws IOException {
        Path target = root.resolve("operator/controller/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar = files.filter(f -> f.getFileName().toString().matches("berth-operator-.*-all\\.jar"))
                        .findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new IllegalStateException("no berth-operator-*-all.jar in " + target
                + "; build it: ./mvnw -B -q -DskipTests -pl operator/controller -am package");
    }
}
