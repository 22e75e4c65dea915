package dev.berth.image.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io/library/busybox:latest",
        "busybox:1.36, docker.io/library/busybox:1.36",
        "library/busybox, docker.io/library/busybox:latest",
        "foo/bar, docker.io/foo/bar:latest",
        "docker.io/busybox, docker.io/library/busybox:latest",
        "index.docker.io/library/busybox:1, docker.io/library/busybox:1",
        "localhost/app, localhost/app:latest",
        "localhost:5000/team/app:v2, localhost:5000/team/app:v2",
        "127.0.0.1:5000/app, 127.0.0.1:5000/app:latest",
        "ghcr.io/org/tool:1.0-rc.1, ghcr.io/org/tool:1.0-rc.1",
        "[::1]:5000/app:x, [::1]:5000/app:x",
    })
    void normalisesLikeDocker(String input, String canonical) throws Exception {
        assertThat(ImageReference.parse(input).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox@" + DIGEST, "registry.io/a/b@" + DIGEST})
    void digestReferencesHaveNoDefaultTag(String input) throws Exception {
        ImageReference ref = ImageReference.parse(input);

        assertThat(ref.tag()).isNull();
        assertThat(ref.digest().toString()).isEqualTo(DIGEST);
    }

    @org.junit.jupiter.api.Test
    void tagAndDigestAreBothKept() throws Exception {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/app:v1@" + DIGEST);

        assertThat(ref.tag()).isEqualTo("v1");
        assertThat(ref.digest().toString()).isEqualTo(DIGEST);
        assertThat(ref.toString()).isEqualTo("127.0.0.1:5000/app:v1@" + DIGEST);
        assertThat(ref.withDigest(ref.digest()).toString()).isEqualTo("127.0.0.1:5000/app@" + DIGEST);
        assertThat(ref.name()).isEqualTo("127.0.0.1:5000/app");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Busybox | lowercase",
                "docker.io/Library/busybox | lowercase",
                "busybox:bad/tag | invalid registry host",
                "busybox@sha256:zz | sha256",
                "busybox@md5:abcd | unsupported digest algorithm",
                "busybox:-x | invalid tag",
                "a//b | invalid repository path component",
                "'' | empty",
            })
    void rejectsInvalidReferencesSayingWhy(String input, String problem) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining(problem);
    }
}
