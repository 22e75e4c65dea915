package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --name=value} flags at the start of an instruction's arguments (BuildKit's
 * {@code extractBuilderFlags} and {@code BFlags}): quotes removed, a backslash escapes the next character,
 * a lone {@code --} ends them.
 */
record Flags(Map<String, String> values, Set<String> switches, String rest) {

    Flags {
        values = Map.copyOf(values);
        switches = Set.copyOf(switches);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean isSet(String name) {
        return switches.contains(name);
    }

    /**
     * Reads the flags; {@code valued} ones need {@code =value}, {@code switches} may have {@code =true} or
     * {@code =false}; any other flag is refused.
     */
    static Flags parse(String arguments, Set<String> valued, Set<String> switchNames)
            throws InvalidInstructionException {
        List<String> words = new ArrayList<>();
        String rest = split(arguments, words);
        Map<String, String> values = new HashMap<>();
        Set<String> switches = new HashSet<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            String name = equals < 0 ? word.substring(2) : word.substring(2, equals);
            String value = equals < 0 ? null : word.substring(equals + 1);
            if (valued.contains(name)) {
                if (value == null) {
                    throw new InvalidInstructionException("--" + name + " needs a value");
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw new InvalidInstructionException("--" + name + " is given twice");
                }
            } else if (switchNames.contains(name)) {
                if (value == null || value.equalsIgnoreCase("true")) {
                    switches.add(name);
                } else if (!value.equalsIgnoreCase("false")) {
                    throw new InvalidInstructionException("--" + name + " takes true or false, not " + value);
                }
            } else {
                throw new InvalidInstructionException("unknown flag: --" + name);
            }
        }
        return new Flags(values, switches, rest);
    }

    private static String split(String line, List<String> words) {
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int pos = 0; pos < line.length(); pos++) {
            char ch = line.charAt(pos);
            if (!inWord) {
                if (Character.isWhitespace(ch)) {
                    continue;
                }
                if (!line.startsWith("--", pos)) {
                    return line.substring(pos);
                }
                inWord = true;
            }
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                    continue;
                }
            } else if (Character.isWhitespace(ch)) {
                inWord = false;
                if (word.toString().equals("--")) {
                    return line.substring(pos).stripLeading();
                }
                words.add(word.toString());
                word.setLength(0);
                continue;
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                continue;
            }
            if (ch == '\\') {
                if (pos + 1 == line.length()) {
                    continue;
                }
                ch = line.charAt(++pos);
            }
            word.append(ch);
        }
        if (inWord && !word.toString().equals("--")) {
            words.add(word.toString());
        }
        return "";
    }
}
