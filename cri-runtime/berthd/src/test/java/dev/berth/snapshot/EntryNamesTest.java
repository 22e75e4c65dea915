package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntryNamesTest {

    @ParameterizedTest
    @CsvSource({
        "a/b, a/b",
        "./a/b/, a/b",
        "a//b, a/b",
        "./a/./b, a/b",
        "a/b/., a/b",
        "..., ...",
        "a/..b, a/..b",
        "./, ''",
        "., ''",
    })
    void normaliseDropsDotsAndRedundantSlashes(String name, String expected) throws Exception {
        assertThat(EntryNames.normalise(name, name, "name")).isEqualTo(expected);
    }

    @Test
    void normaliseReturnsAnAlreadyNormalNameItself() throws Exception {
        String name = new String("usr/lib/x86_64-linux-gnu/libc.so.6");

        assertThat(EntryNames.normalise(name, name, "name")).isSameAs(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../b", "a/..", "a/../../x", "/etc/passwd", "", "a\0b"})
    void normaliseRejectsNamesThatCouldLeaveTheRoot(String name) {
        assertThatThrownBy(() -> EntryNames.normalise(name, name, "name"))
                .isInstanceOfSatisfying(
                        LayerRejectedException.class,
                        e -> assertThat(e.entryName()).isEqualTo(name))
                .hasMessageContaining("rejected");
    }
}
