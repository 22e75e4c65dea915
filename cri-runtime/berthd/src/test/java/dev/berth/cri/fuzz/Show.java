package dev.berth.cri.fuzz;

/** Fuzzed values and berthd's messages as a report shows them: escaped, and long ones cut with their length. */
final class Show {

    private static final int KEEP = 60;

    private Show() {}

    /** berthd's message, escaped, up to 300 characters. */
    static String message(String description) {
        return escaped(description, 300);
    }

    static String value(Object value) {
        if (value instanceof Object[] entry) {
            return value(entry[0]) + "→" + value(entry[1]);
        }
        if (!(value instanceof String s)) {
            return String.valueOf(value);
        }
        return escaped(s, KEEP);
    }

    private static String escaped(String s, int keep) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().limit(keep).forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && !Character.isLetterOrDigit(c))) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        out.append('"');
        if (s.length() > keep) {
            out.append("…(").append(s.length()).append(" chars)");
        }
        return out.toString();
    }

    /** berthd's description with IDs, numbers and long runs folded, so that one cause makes one class. */
    static String normalized(String description) {
        if (description == null) {
            return "";
        }
        String cut = description.length() > 400 ? description.substring(0, 400) : description;
        return cut.replaceAll("[0-9a-f]{12,}", "<id>")
                .replaceAll("(.)\\1{7,}", "$1…")
                .replaceAll("\\d+", "#")
                .replaceAll("\"[^\"]{40,}\"", "\"…\"");
    }
}
