package dev.berth.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The line slf4j-simple printed before (berthd's tests and operators' greps read it): time, level, class, message. */
final class TextLine {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

    String format(LogEvent event) {
        StringWriter out = new StringWriter();
        out.append(TIME.format(event.time()))
                .append(' ')
                .append(event.level().name())
                .append(' ')
                .append(event.shortLogger())
                .append(" - ")
                .append(event.message())
                .append('\n');
        if (event.thrown() != null) {
            event.thrown().printStackTrace(new PrintWriter(out));
        }
        return out.toString();
    }
}
