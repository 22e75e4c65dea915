package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InRootFilesTest {

    private final InRootFiles files = new InRootFiles();

    @TempDir
    Path temp;

    private Path root() throws Exception {
        Path root = Files.createDirectories(temp.resolve("rootfs"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "inside\n");
        return root;
    }

    private Path hostFile() throws Exception {
        Path host = Files.createDirectories(temp.resolve("host"));
        Files.writeString(host.resolve("passwd"), "HOST\n");
        return host;
    }

    private Optional<String> read(Path root, String path) throws Exception {
        return files.readRegularFile(root, path, 1 << 20).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Test
    void readsAFileOfTheTreeByItsAbsoluteOrRelativePath() throws Exception {
        Path root = root();

        assertThat(read(root, "/etc/passwd")).contains("inside\n");
        assertThat(read(root, "etc/passwd")).contains("inside\n");
    }

    @Test
    void symlinksAndDotDotResolveInsideTheTreeNeverOnTheHost() throws Exception {
        Path root = root();
        Path host = hostFile();
        Files.createDirectories(root.resolve("host"));
        Files.writeString(root.resolve("host/passwd"), "the tree's own\n");
        Files.createSymbolicLink(root.resolve("absolute"), host.resolve("passwd"));
        Files.createSymbolicLink(root.resolve("climbing"), Path.of("../../../../../../" + host + "/passwd"));
        Files.createSymbolicLink(root.resolve("etc/group"), Path.of("/etc/passwd"));

        assertThat(read(root, "/absolute")).isEmpty();
        assertThat(read(root, "/climbing")).isEmpty();
        assertThat(read(root, "/../../../../" + host + "/passwd")).isEmpty();
        assertThat(read(root, "/etc/group")).contains("inside\n");
        Files.createDirectories(root.resolve(host.toString().substring(1)));
        Files.writeString(root.resolve(host.toString().substring(1)).resolve("passwd"), "shadowed in the tree\n");
        assertThat(read(root, "/absolute")).contains("shadowed in the tree\n");
    }

    @Test
    void missingFilesDirectoriesAndFifosAreNotRead() throws Exception {
        Path root = root();
        new Syscalls().mknod(root.resolve("etc/fifo"), Syscalls.S_IFIFO | 0644, new DeviceNumber(0, 0));

        assertThat(read(root, "/etc/absent")).isEmpty();
        assertThat(read(root, "/absent/passwd")).isEmpty();
        assertThat(read(root, "/etc/passwd/below")).isEmpty();
        assertThat(read(root, "/etc")).isEmpty();
        assertThat(read(root, "/etc/fifo")).isEmpty();
    }

    @Test
    void aFileOverTheLimitIsRefused() throws Exception {
        Path root = root();
        Files.write(root.resolve("etc/big"), new byte[4096]);

        assertThatThrownBy(() -> files.readRegularFile(root, "/etc/big", 1000))
                .hasMessageContaining("larger than 1000");
    }

    @Test
    void aDirectorySwappedForAHostSymlinkWhileReadingNeverLeadsToTheHostsFile() throws Exception {
        Path root = root();
        Path host = hostFile();
        Path etc = root.resolve("etc");
        Path real = root.resolve("etc.real");
        AtomicBoolean stop = new AtomicBoolean();
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.move(etc, real);
                    Files.createSymbolicLink(etc, host);
                    Files.delete(etc);
                    Files.move(real, etc);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Set<String> seen = new HashSet<>();
        swapper.start();
        try {
            for (int i = 0; i < 5000; i++) {
                seen.add(read(root, "/etc/passwd").orElse("(none)"));
            }
        } finally {
            stop.set(true);
            swapper.join();
        }

        assertThat(seen).doesNotContain("HOST\n").contains("inside\n");
    }
}
