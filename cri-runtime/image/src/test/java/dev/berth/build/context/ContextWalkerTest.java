package dev.berth.build.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextWalkerTest {

    @TempDir
    Path context;

    private void file(String name) throws IOException {
        Path path = context.resolve(name);
        Files.createDirectories(path.getParent());
        Files.writeString(path, name);
    }

    private List<String> walk(String dockerignore) throws IOException {
        return new ContextWalker(IgnoreRules.parse(dockerignore))
                .walk(context).stream()
                        .map(e -> e.name()
                                + (e.kind() == ContextEntry.Kind.DIRECTORY ? "/" : "")
                                + (e.implied() ? " (implied)" : ""))
                        .toList();
    }

    @Test
    void listsEverythingDepthFirstInSortedOrder() throws IOException {
        file("b.txt");
        file("a/z.txt");
        file("a/b/c.txt");
        file("a.txt");
        Files.createSymbolicLink(context.resolve("link"), Path.of("/etc/passwd"));

        assertThat(walk("")).containsExactly("a/", "a/b/", "a/b/c.txt", "a/z.txt", "a.txt", "b.txt", "link");
    }

    @Test
    void ignoredFilesAndDirectoriesAreLeftOutButTheDockerfileStays() throws IOException {
        file("Dockerfile");
        file(".git/config");
        file("src/main.go");
        file("src/main_test.go");

        assertThat(walk(".git\n**/*_test.go\n")).containsExactly("Dockerfile", "src/", "src/main.go");
        assertThat(walk("Dockerfile\n")).doesNotContain("Dockerfile");
    }

    @Test
    void reincludedFileBringsItsIgnoredParentsAsImpliedDirectories() throws IOException {
        file("build/out/keep.txt");
        file("build/out/drop.txt");
        file("build/other/x");

        assertThat(walk("build\n!build/out/keep.txt\n"))
                .containsExactly("build/ (implied)", "build/out/ (implied)", "build/out/keep.txt");
    }
}
