package dev.berth.build.context;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code .dockerignore} line compiled as moby's {@code patternmatcher} does: {@code *} and {@code ?}
 * never cross a {@code /}, {@code **} spans any number of directories (none included), {@code [...]} is a
 * character class, a backslash escapes the next character. {@code exclusion} marks a {@code !} line.
 */
record IgnorePattern(String text, boolean exclusion, Pattern regex) {

    static IgnorePattern compile(String text, boolean exclusion) {
        StringBuilder regex = new StringBuilder("^");
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char ch = text.charAt(i);
            if (ch == '*') {
                if (i + 1 < length && text.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < length && text.charAt(i + 1) == '/') {
                        i++;
                    }
                    regex.append(i + 1 == length ? ".*" : "(.*/)?");
                } else {
                    regex.append("[^/]*");
                }
            } else if (ch == '?') {
                regex.append("[^/]");
            } else if (ch == '\\') {
                if (i + 1 < length) {
                    regex.append(Pattern.quote(String.valueOf(text.charAt(++i))));
                } else {
                    regex.append("\\\\");
                }
            } else if (ch == '[') {
                int close = text.indexOf(']', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("syntax error in pattern " + text);
                }
                String body = text.substring(i + 1, close);
                if (body.startsWith("!")) {
                    body = "^" + body.substring(1);
                }
                regex.append('[').append(body.replace("[", "\\[")).append(']');
                i = close;
            } else if (".$^+(){}|".indexOf(ch) >= 0) {
                regex.append('\\').append(ch);
            } else {
                regex.append(ch);
            }
        }
        try {
            return new IgnorePattern(
                    text, exclusion, Pattern.compile(regex.append('$').toString()));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("syntax error in pattern " + text, e);
        }
    }

    boolean matches(String path) {
        return regex.matcher(path).matches();
    }
}
