package dev.berth.operator.ociimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ldd's answers for real ELF files of this host. */
class HostLibrariesTest {
    @TempDir
    Path tmp;

    @Test
    void dynamicExecutableNeedsLibcAndTheLoaderAndScriptsNeedNothing() throws Exception {
        Path script = Files.writeString(tmp.resolve("script.sh"), "#!/bin/sh\n");

        Set<Path> needed = new HostLibraries().neededBy(List.of(Path.of("/bin/true"), script), tmp);

        assertThat(needed)
                .anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("libc.so"));
        assertThat(needed)
                .anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("ld-linux"));
        assertThat(needed).allSatisfy(p -> assertThat(p).isAbsolute().exists());
    }
}
