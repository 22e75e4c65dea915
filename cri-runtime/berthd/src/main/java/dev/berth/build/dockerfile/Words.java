package dev.berth.build.dockerfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The word splitting of BuildKit's line parsers, before any variable is expanded. */
final class Words {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Words() {}

    /** Splits on blanks only; quotes mean nothing here (COPY, EXPOSE, VOLUME in shell form). */
    static List<String> whitespaceDelimited(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("[ \t\r\n\f]+"));
    }

    /**
     * Splits on blanks outside quotes, keeping quotes and escapes in the words for the later expansion
     * (BuildKit's {@code parseWords}, used for ENV, LABEL and ARG). Inside single quotes the escape
     * character escapes nothing.
     */
    static List<String> quoted(String text, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean blankOk = false;
        char quote = 0;
        for (int pos = 0; pos < text.length(); pos++) {
            char ch = text.charAt(pos);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else if (ch == escape && quote != '\'') {
                    if (pos + 1 == text.length()) {
                        continue;
                    }
                    word.append(ch);
                    ch = text.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            if (Character.isWhitespace(ch)) {
                if (inWord && (blankOk || !word.isEmpty())) {
                    words.add(word.toString());
                }
                word.setLength(0);
                inWord = false;
                blankOk = false;
                continue;
            }
            inWord = true;
            if (ch == '\'' || ch == '"') {
                quote = ch;
                blankOk = true;
            } else if (ch == escape) {
                if (pos + 1 == text.length()) {
                    continue;
                }
                word.append(ch);
                ch = text.charAt(++pos);
            }
            word.append(ch);
        }
        if (inWord && (blankOk || !word.isEmpty())) {
            words.add(word.toString());
        }
        return words;
    }

    /** The strings of a JSON array of strings, or empty when {@code text} is not one (then it is shell form). */
    static Optional<List<String>> jsonArray(String text) {
        if (!text.startsWith("[")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isArray()) {
                return Optional.empty();
            }
            List<String> strings = new ArrayList<>();
            for (JsonNode element : node) {
                if (!element.isTextual()) {
                    return Optional.empty();
                }
                strings.add(element.textValue());
            }
            return Optional.of(List.copyOf(strings));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
