package dev.berth.cri.validation;

import java.nio.charset.StandardCharsets;

/**
 * A client's string as a log line or status message may carry it: quoted, at most
 * {@link RequestLimits#SHOWN_CHARS} characters, the rest counted ({@code "aaaa…(70000 bytes)"}), control characters
 * (NUL too) shown as '?', so a message can neither grow with the request nor break a log line.
 */
public final class Shown {

    private Shown() {}

    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        String head = value;
        if (value.length() > RequestLimits.SHOWN_CHARS) {
            int cut = RequestLimits.SHOWN_CHARS;
            if (Character.isHighSurrogate(value.charAt(cut - 1))) {
                cut--;
            }
            head = value.substring(0, cut) + "…(" + value.getBytes(StandardCharsets.UTF_8).length + " bytes)";
        }
        return "\"" + head.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
