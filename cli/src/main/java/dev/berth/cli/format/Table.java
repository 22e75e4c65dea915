package dev.berth.cli.format;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** An aligned table as docker prints one: columns padded to their widest cell plus three spaces. */
public final class Table {

    private static final int PADDING = 3;

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    public void print(PrintStream out) {
        int[] widths = new int[header.size()];
        for (List<String> row : allRows()) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : allRows()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + PADDING));
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        out.print(text);
        out.flush();
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
