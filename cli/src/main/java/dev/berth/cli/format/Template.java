package dev.berth.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of docker's {@code --format} that scripts use: {@code json} (one JSON object a line), and Go
 * templates made of text, {@code \t}, {@code {{.Field}}} and {@code {{json .}}} / {@code {{json .Field}}}, with
 * a {@code table } prefix for a header line. Rows are ordered maps from docker's field names to text.
 */
public final class Template {

    private static final Pattern ACTION = Pattern.compile("\\{\\{\\s*(json\\s+)?\\.([A-Za-z]*)\\s*}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String template;
    private final boolean table;

    private Template(String template, boolean table) {
        this.template = template;
        this.table = table;
    }

    public static Template parse(String format) {
        String text = format.replace("\\t", "\t").replace("\\n", "\n");
        if (text.startsWith("table ")) {
            return new Template(text.substring("table ".length()), true);
        }
        if (text.equals("table")) {
            throw new CliException("--format table needs the columns after it, e.g. 'table {{.ID}}\\t{{.Names}}'");
        }
        return new Template(text, false);
    }

    /** Prints the rows; {@code fields} are the names a template may use, for the error on an unknown one. */
    public void print(PrintStream out, List<String> fields, List<Map<String, String>> rows) {
        StringBuilder text = new StringBuilder();
        if (template.equals("json")) {
            for (Map<String, String> row : rows) {
                text.append(json(row)).append('\n');
            }
        } else {
            if (table) {
                Map<String, String> header = new LinkedHashMap<>();
                fields.forEach(field -> header.put(field, upperWords(field)));
                text.append(render(header, fields)).append('\n');
            }
            for (Map<String, String> row : rows) {
                text.append(render(row, fields)).append('\n');
            }
        }
        out.print(text);
        out.flush();
    }

    private String render(Map<String, String> row, List<String> fields) {
        Matcher matcher = ACTION.matcher(template);
        StringBuilder line = new StringBuilder();
        int end = 0;
        while (matcher.find()) {
            line.append(template, end, matcher.start());
            boolean asJson = matcher.group(1) != null;
            String field = matcher.group(2);
            if (field.isEmpty()) {
                if (!asJson) {
                    throw new CliException("--format: {{.}} prints nothing useful; use {{json .}}");
                }
                line.append(json(row));
            } else if (!fields.contains(field)) {
                throw new CliException("--format: unknown field ." + field + "; known: ." + String.join(", .", fields));
            } else {
                String value = row.getOrDefault(field, "");
                line.append(asJson ? json(value) : value);
            }
            end = matcher.end();
        }
        if (template.indexOf("{{", end) >= 0) {
            throw new CliException("--format: only {{.Field}} and {{json .}} are understood in '" + template + "'");
        }
        line.append(template.substring(end));
        return line.toString();
    }

    private static String upperWords(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
