package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.CliException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final List<String> FIELDS = List.of("ID", "Names", "Status");

    @Test
    void fieldsAndJsonAreFilledPerRow() {
        assertThat(print("{{.Names}}: {{.Status}}")).isEqualTo("web: Up 2 hours\ndb: Exited (3) 5 seconds ago\n");
        assertThat(print("{{json .Names}}")).isEqualTo("\"web\"\n\"db\"\n");
        assertThat(print("{{json .}}")).startsWith("{\"ID\":\"abc\",\"Names\":\"web\",\"Status\":\"Up 2 hours\"}\n");
        assertThat(print("json")).isEqualTo(print("{{json .}}"));
    }

    @Test
    void aTablePrefixAddsTheHeaderAndTabsAreUnderstood() {
        assertThat(print("table {{.ID}}\\t{{.Names}}")).startsWith("ID\tNAMES\nabc\tweb\n");
    }

    @Test
    void unknownFieldsAndActionsAreRefusedInWords() {
        assertThatThrownBy(() -> print("{{.Nope}}"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("unknown field .Nope");
        assertThatThrownBy(() -> print("{{range .}}"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("only {{.Field}} and {{json .}}");
    }

    private static String print(String format) {
        Map<String, String> web = new LinkedHashMap<>();
        web.put("ID", "abc");
        web.put("Names", "web");
        web.put("Status", "Up 2 hours");
        Map<String, String> db = new LinkedHashMap<>();
        db.put("ID", "def");
        db.put("Names", "db");
        db.put("Status", "Exited (3) 5 seconds ago");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Template.parse(format).print(new PrintStream(bytes, true, StandardCharsets.UTF_8), FIELDS, List.of(web, db));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
