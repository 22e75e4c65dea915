package dev.berth.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.CliException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerfileSourceTest {

    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    @TempDir
    Path dir;

    @Test
    void withoutFlagTheContextsDockerfileIsReadThereElseItsLowercaseOne() throws IOException {
        Path context = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(context.resolve("dockerfile"), "FROM scratch\n");

        assertThat(DockerfileSource.resolve(context, null, NO_STDIN))
                .isEqualTo(new DockerfileSource("dockerfile", null));

        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
        assertThat(DockerfileSource.resolve(context, null, NO_STDIN))
                .isEqualTo(new DockerfileSource("Dockerfile", null));
    }

    @Test
    void aFileInsideTheContextIsNamedAndOneOutsideItIsSentAsText() throws IOException {
        Path context = Files.createDirectories(dir.resolve("ctx"));
        Path inside = Files.writeString(
                Files.createDirectories(context.resolve("docker")).resolve("app.Dockerfile"), "FROM a\n");
        Path outside = Files.writeString(dir.resolve("Outside.Dockerfile"), "FROM b\n");

        assertThat(DockerfileSource.resolve(context, inside.toString(), NO_STDIN))
                .isEqualTo(new DockerfileSource("docker/app.Dockerfile", null));
        assertThat(DockerfileSource.resolve(context, outside.toString(), NO_STDIN))
                .isEqualTo(new DockerfileSource(null, "FROM b\n"));
    }

    @Test
    void dashReadsStdinAndAMissingFileIsRefused() throws IOException {
        Path context = Files.createDirectories(dir.resolve("ctx"));
        InputStream stdin = new ByteArrayInputStream("FROM c\nRUN true\n".getBytes(StandardCharsets.UTF_8));

        assertThat(DockerfileSource.resolve(context, "-", stdin))
                .isEqualTo(new DockerfileSource(null, "FROM c\nRUN true\n"));
        assertThatThrownBy(() -> DockerfileSource.resolve(context, null, NO_STDIN))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("unable to prepare context: cannot locate Dockerfile");
    }
}
