package dev.berth.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRD YAML under crds/ is generated from this module's classes; a change to them must be committed there too. */
class CrdFreshnessTest {
    static final String REFRESH = "crds/ is stale: the model changed. Refresh it with `./berth crds` "
            + "(or ./mvnw -pl operator/model -am process-classes -Dberth.crds.dir=$PWD/crds) and commit the result";

    private final Path generated = Path.of(System.getProperty("berth.crds.generated", "target/crds"));
    private final Path committed = Path.of(System.getProperty("berth.crds.committed", "../../crds"));

    @Test
    void committedCrdsMatchWhatTheGeneratorWritesNow() throws IOException {
        List<String> names = yamlFiles(generated);
        assertThat(names).as("the generator's output in %s", generated).isNotEmpty();
        for (String name : names) {
            Path mine = committed.resolve(name);
            assertThat(mine).as(REFRESH + " (%s is missing)", name).exists();
            assertThat(Files.readString(mine))
                    .as(REFRESH + " (%s differs)", name)
                    .isEqualTo(Files.readString(generated.resolve(name)));
        }
    }

    @Test
    void crdsHoldNoCrdTheModelNoLongerDefines() throws IOException {
        assertThat(yamlFiles(committed))
                .as(REFRESH + " (and delete CRDs the generator no longer writes)")
                .containsExactlyInAnyOrderElementsOf(yamlFiles(generated));
    }

    private static List<String> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }
}
