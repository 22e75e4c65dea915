package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Dockerfile into logical lines the way BuildKit's parser does: parser directives only before the
 * first other line, comment lines dropped everywhere (also between continuation lines), empty continuation
 * lines skipped, a line ending in the escape character joined to the next without adding anything, and the
 * bodies of the here-documents a RUN, COPY or ADD line opens read from the lines after it.
 */
final class DockerfileLexer {

    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("(?<!\\S)\\d*<<(-?)([\"']?)([^\\s\"'<>|&;()]+)\\2");
    private static final Set<String> HEREDOC_KEYWORDS = Set.of("RUN", "COPY", "ADD");
    private static final Set<String> KNOWN_DIRECTIVES = Set.of("escape", "syntax", "check");

    private final String fileName;

    DockerfileLexer(String fileName) {
        this.fileName = fileName;
    }

    /** The lines and the escape character the directives chose. */
    record Lexed(char escape, List<RawInstruction> instructions) {}

    Lexed lex(String text) throws DockerfileException {
        String[] lines = physicalLines(text);
        int index = 0;
        char escape = '\\';
        Set<String> seen = new HashSet<>();
        for (; index < lines.length; index++) {
            Matcher directive = DIRECTIVE.matcher(lines[index]);
            if (!directive.matches()) {
                break;
            }
            String name = directive.group(1).toLowerCase(Locale.ROOT);
            if (!KNOWN_DIRECTIVES.contains(name)) {
                // an unknown directive is a comment, and no directive may follow a comment
                break;
            }
            if (!seen.add(name)) {
                throw new DockerfileException(
                        fileName, index + 1, "", "only one " + name + " parser directive can be used");
            }
            if (name.equals("escape")) {
                String value = directive.group(2);
                if (!value.equals("\\") && !value.equals("`")) {
                    throw new DockerfileException(
                            fileName, index + 1, "", "invalid escape token '" + value + "' does not match ` or \\");
                }
                escape = value.charAt(0);
            }
        }
        List<RawInstruction> instructions = new ArrayList<>();
        while (index < lines.length) {
            String first = lines[index].stripLeading();
            if (first.isEmpty() || first.startsWith("#")) {
                index++;
                continue;
            }
            int startLine = index + 1;
            StringBuilder logical = new StringBuilder();
            String current = first;
            while (true) {
                index++;
                int end = continuationStart(current, escape);
                if (end < 0) {
                    logical.append(current);
                    break;
                }
                logical.append(current, 0, end);
                while (index < lines.length && isCommentOrBlank(lines[index])) {
                    index++;
                }
                if (index == lines.length) {
                    break;
                }
                current = lines[index];
            }
            String line = logical.toString().strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] split = line.split("[ \t\r\n\f]+", 2);
            String keyword = split[0].toUpperCase(Locale.ROOT);
            String arguments = split.length > 1 ? split[1] : "";
            List<Heredoc> heredocs = new ArrayList<>();
            if (HEREDOC_KEYWORDS.contains(keyword) && !arguments.startsWith("[")) {
                index = readHeredocs(lines, index, arguments, keyword, startLine, heredocs);
            }
            instructions.add(new RawInstruction(startLine, keyword, arguments, heredocs));
        }
        return new Lexed(escape, instructions);
    }

    private int readHeredocs(
            String[] lines, int index, String arguments, String keyword, int startLine, List<Heredoc> heredocs)
            throws DockerfileException {
        Matcher marker = HEREDOC.matcher(arguments);
        while (marker.find()) {
            boolean chomp = !marker.group(1).isEmpty();
            boolean quoted = !marker.group(2).isEmpty();
            String name = marker.group(3);
            StringBuilder content = new StringBuilder();
            boolean terminated = false;
            while (index < lines.length) {
                String body = lines[index++];
                String candidate = chomp ? stripLeadingTabs(body) : body;
                if (candidate.equals(name)) {
                    terminated = true;
                    break;
                }
                content.append(candidate).append('\n');
            }
            if (!terminated) {
                throw new DockerfileException(fileName, startLine, keyword, "unterminated heredoc " + name);
            }
            heredocs.add(new Heredoc(name, content.toString(), !quoted, chomp));
        }
        return index;
    }

    /** Where the trailing escape character (and any blanks after it) starts, or -1 when the line ends here. */
    private static int continuationStart(String line, char escape) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return end > 0 && line.charAt(end - 1) == escape ? end - 1 : -1;
    }

    private static boolean isCommentOrBlank(String line) {
        String stripped = line.stripLeading();
        return stripped.isEmpty() || stripped.startsWith("#");
    }

    private static String stripLeadingTabs(String line) {
        int start = 0;
        while (start < line.length() && line.charAt(start) == '\t') {
            start++;
        }
        return line.substring(start);
    }

    private static String[] physicalLines(String text) {
        String withoutBom = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = withoutBom.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        return lines;
    }
}
