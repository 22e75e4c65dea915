package dev.berth.build.context;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@code .dockerignore}: which paths of a build context are left out. Patterns are relative to the context
 * root (a leading {@code /} or {@code ./} is dropped, {@code ..} and {@code //} cleaned like Go's
 * {@code filepath.Clean}); lines starting with {@code #} are comments; a pattern that matches a directory
 * excludes everything under it; {@code !pattern} re-includes, and the last rule that matches wins.
 */
public final class IgnoreRules {

    private final List<IgnorePattern> patterns;

    private IgnoreRules(List<IgnorePattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    public static IgnoreRules none() {
        return new IgnoreRules(List.of());
    }

    /** Reads a {@code .dockerignore}'s text; a malformed pattern fails with {@link IllegalArgumentException}. */
    public static IgnoreRules parse(String text) {
        List<IgnorePattern> patterns = new ArrayList<>();
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (String line : body.split("\n", -1)) {
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exclusion = pattern.startsWith("!");
            if (exclusion) {
                pattern = pattern.substring(1).strip();
                if (pattern.isEmpty()) {
                    throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
                }
            }
            pattern = clean(pattern);
            if (pattern.length() > 1 && pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            patterns.add(IgnorePattern.compile(pattern, exclusion));
        }
        return new IgnoreRules(patterns);
    }

    /** Whether any {@code !} rule exists: then an excluded directory may still hold included files. */
    public boolean hasExceptions() {
        return patterns.stream().anyMatch(IgnorePattern::exclusion);
    }

    /** Whether {@code path} (relative, {@code /}-separated) is left out of the context. */
    public boolean excludes(String path) {
        String file = clean(path);
        int slash = file.lastIndexOf('/');
        String[] parents = slash < 0 ? new String[0] : file.substring(0, slash).split("/");
        boolean matched = false;
        for (IgnorePattern pattern : patterns) {
            // an inclusion only matters once matched, an exclusion only before
            if (pattern.exclusion() != matched) {
                continue;
            }
            boolean match = pattern.matches(file);
            StringBuilder parent = new StringBuilder();
            for (int i = 0; !match && i < parents.length; i++) {
                if (i > 0) {
                    parent.append('/');
                }
                parent.append(parents[i]);
                match = pattern.matches(parent.toString());
            }
            if (match) {
                matched = !pattern.exclusion();
            }
        }
        return matched;
    }

    /** Go's {@code filepath.Clean} on a {@code /}-separated path. */
    static String clean(String path) {
        boolean rooted = path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast(part);
                }
                continue;
            }
            parts.addLast(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }
}
