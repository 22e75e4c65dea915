package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's variable substitution (BuildKit's {@code shell.Lex}): {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-word}}, {@code ${VAR-word}}, {@code ${VAR:+word}}, {@code ${VAR+word}}, {@code ${VAR:?msg}},
 * {@code ${VAR?msg}}; single quotes keep everything literal, double quotes allow substitution and escape
 * only {@code "}, {@code $} and the escape character; outside quotes the escape character makes the next
 * character literal. Quotes are removed. An unset variable expands to nothing.
 */
final class ShellLex {

    private static final int EOF = -1;

    private final char escape;
    private final boolean quotesLiteral;

    ShellLex(char escape) {
        this(escape, false);
    }

    /** {@code quotesLiteral}: quotes are plain characters (BuildKit's {@code SkipProcessQuotes}, for heredocs). */
    ShellLex(char escape, boolean quotesLiteral) {
        this.escape = escape;
        this.quotesLiteral = quotesLiteral;
    }

    /** One word: the result is a single string, blanks from variables included. */
    String processWord(String word, Function<String, String> env) throws InvalidInstructionException {
        return new Run(word, env).process(0, new ArrayList<>());
    }

    /** Several words: blanks outside quotes (also those a variable's value brings) separate them. */
    List<String> processWords(String text, Function<String, String> env) throws InvalidInstructionException {
        WordCollector words = new WordCollector();
        new Run(text, env).process(0, words);
        return words.finish();
    }

    /** Receives the characters of the result, knowing which came from quotes (never split). */
    private static class WordCollector extends ArrayList<String> {
        private final StringBuilder current = new StringBuilder();
        private boolean inWord;

        void add(char ch, boolean raw) {
            if (!raw && Character.isWhitespace(ch)) {
                if (inWord) {
                    super.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
                return;
            }
            current.append(ch);
            inWord = true;
        }

        void add(String text, boolean raw) {
            inWord |= raw;
            for (int i = 0; i < text.length(); i++) {
                add(text.charAt(i), raw);
            }
        }

        List<String> finish() {
            if (inWord) {
                super.add(current.toString());
            }
            return List.copyOf(this);
        }
    }

    private final class Run {
        private final String text;
        private final Function<String, String> env;
        private int pos;

        Run(String text, Function<String, String> env) {
            this.text = text;
            this.env = env;
        }

        private int peek() {
            return pos < text.length() ? text.charAt(pos) : EOF;
        }

        private int next() {
            return pos < text.length() ? text.charAt(pos++) : EOF;
        }

        /** Processes up to {@code stop} (consumed) or the end; {@code words} may be a {@link WordCollector}. */
        String process(int stop, List<String> words) throws InvalidInstructionException {
            WordCollector collector = words instanceof WordCollector c ? c : null;
            StringBuilder result = new StringBuilder();
            while (peek() != EOF) {
                int ch = peek();
                if (stop != 0 && ch == stop) {
                    next();
                    return result.toString();
                }
                if (ch == '\'' && !quotesLiteral) {
                    String quoted = singleQuoted();
                    result.append(quoted);
                    if (collector != null) {
                        collector.add(quoted, true);
                    }
                } else if (ch == '"' && !quotesLiteral) {
                    String quoted = doubleQuoted();
                    result.append(quoted);
                    if (collector != null) {
                        collector.add(quoted, true);
                    }
                } else if (ch == '$') {
                    next();
                    String value = dollar();
                    result.append(value);
                    if (collector != null) {
                        collector.add(value, false);
                    }
                } else {
                    next();
                    boolean raw = false;
                    if (ch == escape) {
                        ch = next();
                        if (ch == EOF) {
                            break;
                        }
                        raw = true;
                    }
                    result.append((char) ch);
                    if (collector != null) {
                        collector.add((char) ch, raw);
                    }
                }
            }
            if (stop != 0) {
                throw new InvalidInstructionException("syntax error: missing '}' in \"" + text + "\"");
            }
            return result.toString();
        }

        private String singleQuoted() throws InvalidInstructionException {
            next();
            StringBuilder result = new StringBuilder();
            while (true) {
                int ch = next();
                if (ch == EOF) {
                    throw new InvalidInstructionException("unexpected end of statement while looking for matching '");
                }
                if (ch == '\'') {
                    return result.toString();
                }
                result.append((char) ch);
            }
        }

        private String doubleQuoted() throws InvalidInstructionException {
            next();
            StringBuilder result = new StringBuilder();
            while (true) {
                int ch = peek();
                if (ch == EOF) {
                    throw new InvalidInstructionException("unexpected end of statement while looking for matching \"");
                }
                if (ch == '"') {
                    next();
                    return result.toString();
                }
                if (ch == '$') {
                    next();
                    result.append(dollar());
                    continue;
                }
                next();
                if (ch == escape) {
                    int escaped = peek();
                    if (escaped == '"' || escaped == '$' || escaped == escape) {
                        ch = next();
                    }
                }
                result.append((char) ch);
            }
        }

        /** After a {@code $}. */
        private String dollar() throws InvalidInstructionException {
            if (peek() != '{') {
                String name = name();
                if (name.isEmpty()) {
                    return "$";
                }
                return valueOf(name, "");
            }
            next();
            String name = name();
            if (name.isEmpty()) {
                throw new InvalidInstructionException("bad substitution in \"" + text + "\"");
            }
            int ch = next();
            if (ch == EOF) {
                throw new InvalidInstructionException("syntax error: missing '}' in \"" + text + "\"");
            }
            if (ch == '}') {
                return valueOf(name, "");
            }
            boolean colon = ch == ':';
            int modifier = colon ? next() : ch;
            if (modifier != '-' && modifier != '+' && modifier != '?') {
                throw new InvalidInstructionException(
                        "unsupported modifier in substitution ${" + name + "...} of \"" + text + "\"");
            }
            String word = process('}', new ArrayList<>());
            String value = env.apply(name);
            boolean missing = value == null || (colon && value.isEmpty());
            return switch (modifier) {
                case '-' -> missing ? word : value;
                case '+' -> missing ? "" : word;
                default -> {
                    if (missing) {
                        throw new InvalidInstructionException(
                                name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                    }
                    yield value;
                }
            };
        }

        private String valueOf(String name, String fallback) {
            String value = env.apply(name);
            return value == null ? fallback : value;
        }

        private String name() {
            int start = pos;
            if (Character.isDigit(peek())) {
                while (Character.isDigit(peek())) {
                    next();
                }
                return text.substring(start, pos);
            }
            while (peek() != EOF && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
                next();
            }
            return text.substring(start, pos);
        }
    }
}
