package dev.unplug.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain text table with a header row and columns padded to their widest cell. Not thread-safe. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    /** Adds a row; missing cells are blank, null cells show as {@code -}. */
    Table row(String... cells) {
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = i < cells.length && cells[i] != null ? Errors.oneLine(cells[i]) : "-";
        }
        rows.add(r);
        return this;
    }

    /** The table, one line per row, without a trailing newline. */
    String render() {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(line.toString().stripTrailing());
        }
        return out.toString();
    }
}
