package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsAnImageConfigAsMapsListsAndScalars() {
        Object parsed = Json.parse("""
                {"imageSpec": {"created": "2024-01-02T03:04:05Z", "config": {"Cmd": ["sh", "-c", "echo \\"hi\\"\\n"],
                 "Entrypoint": null, "ExposedPorts": {}}, "size": 4260000, "ratio": 1.5e2, "ok": true}}
                """);
        assertThat(Json.text(Json.path(parsed, "imageSpec", "created"))).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(Json.strings(Json.path(parsed, "imageSpec", "config", "Cmd")))
                .containsExactly("sh", "-c", "echo \"hi\"\n");
        assertThat(Json.strings(Json.path(parsed, "imageSpec", "config", "Entrypoint")))
                .isEmpty();
        assertThat(Json.path(parsed, "imageSpec", "size")).isEqualTo(4260000L);
        assertThat(Json.path(parsed, "imageSpec", "ratio")).isEqualTo(150.0);
        assertThat(Json.path(parsed, "imageSpec", "ok")).isEqualTo(true);
        assertThat(Json.path(parsed, "imageSpec", "config", "ExposedPorts")).isEqualTo(Map.of());
        assertThat(Json.path(parsed, "imageSpec", "missing", "deeper")).isNull();
    }

    @Test
    void writesAStringArrayThatReadsBackTheSame() {
        List<String> command = List.of("sh", "-c", "printf '%s\\t\"x\"\\n' \u0001 é");
        assertThat(Json.parse(Json.stringArray(command))).isEqualTo(command);
        assertThat(Json.stringArray(List.of())).isEqualTo("[]");
    }

    @Test
    void decodesUnicodeEscapesAndBigNumbers() {
        assertThat(Json.parse("[\"\\u00e9\\/\", 12345678901234567890, -3]"))
                .isEqualTo(List.of("é/", 1.2345678901234567e19, -3L));
    }

    @Test
    void rejectsTextThatIsNoJson() {
        assertThatThrownBy(() -> Json.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\": 1} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("\"open")).isInstanceOf(IllegalArgumentException.class);
    }
}
