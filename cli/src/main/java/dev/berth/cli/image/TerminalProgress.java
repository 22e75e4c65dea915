package dev.berth.cli.image;

import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.LayerState;
import dev.berth.cli.format.Units;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's live display on a terminal: a line per layer, in the order the layers first came, each rewritten in
 * place (ANSI cursor up, erase line, cursor down) as its layer moves on; a byte count and, when the terminal is
 * wide enough for it not to wrap, a progress bar while the layer comes in.
 */
final class TerminalProgress implements ProgressDisplay {

    private static final String ESC = "\u001b[";
    private static final int BAR = 50;
    /** docker's threshold: narrower terminals get the numbers without the bar, so no line wraps. */
    private static final int BAR_MIN_COLUMNS = 110;

    private final PrintStream out;
    private final boolean bar;
    private final List<String> digests = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    TerminalProgress(PrintStream out, int columns) {
        this.out = out;
        this.bar = columns >= BAR_MIN_COLUMNS;
    }

    @Override
    public void layer(LayerProgress layer) {
        String line = ImageInfo.shortId(layer.getDigest()) + ": " + text(layer);
        int index = digests.indexOf(layer.getDigest());
        if (index < 0) {
            digests.add(layer.getDigest());
            lines.add(line);
            out.print(line + "\n");
        } else if (!lines.get(index).equals(line)) {
            lines.set(index, line);
            int up = lines.size() - index;
            out.print(ESC + up + "A\r" + ESC + "2K" + line + "\r" + ESC + up + "B");
        }
        out.flush();
    }

    private String text(LayerProgress layer) {
        String word = ProgressDisplay.word(layer.getState());
        boolean moving = layer.getState() == LayerState.DOWNLOADING || layer.getState() == LayerState.EXTRACTING;
        if (!moving || layer.getTotalBytes() <= 0) {
            return word;
        }
        String numbers =
                String.format("%8s/%s", Units.size(layer.getDownloadedBytes()), Units.size(layer.getTotalBytes()));
        return bar
                ? word + " " + bar(layer.getDownloadedBytes(), layer.getTotalBytes()) + " " + numbers
                : word + " " + numbers;
    }

    /** {@code [=====>      ]}: docker's bar, full once every byte is in. */
    static String bar(long done, long total) {
        int filled = (int) Math.min(BAR, BAR * Math.max(0, done) / total);
        if (filled == BAR) {
            return "[" + "=".repeat(BAR) + "]";
        }
        return "[" + "=".repeat(filled) + ">" + " ".repeat(BAR - filled - 1) + "]";
    }
}
