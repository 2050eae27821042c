package dev.unplug.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table with a header row and columns padded to their widest cell; {@link #render(int)} wraps the widest
 * columns at spaces so that every line fits a width. Not thread-safe.
 */
final class Table {

    /** The narrowest a column is squeezed to when a table must fit a width. */
    private static final int MIN_COLUMN = 12;
    private static final String GAP = "  ";

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

    /** The table, one line per row (cells never wrap), without a trailing newline. */
    String render() {
        return render(Integer.MAX_VALUE);
    }

    /**
     * The table with no line longer than {@code maxWidth} where it can: the widest column is narrowed first (never
     * below 12 characters or its header) and its cells wrap at spaces onto continuation lines; a single word longer
     * than its column is cut. No trailing newline.
     */
    String render(int maxWidth) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        narrow(width, maxWidth);
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            List<List<String>> cells = new ArrayList<>();
            int height = 1;
            for (int i = 0; i < columns; i++) {
                List<String> wrapped = wrap(r[i], width[i]);
                cells.add(wrapped);
                height = Math.max(height, wrapped.size());
            }
            for (int k = 0; k < height; k++) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    String part = k < cells.get(i).size() ? cells.get(i).get(k) : "";
                    line.append(part);
                    if (i < columns - 1) {
                        line.append(" ".repeat(width[i] - part.length())).append(GAP);
                    }
                }
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(line.toString().stripTrailing());
            }
        }
        return out.toString();
    }

    private void narrow(int[] width, int maxWidth) {
        while (total(width) > maxWidth) {
            int widest = 0;
            for (int i = 1; i < columns; i++) {
                if (width[i] > width[widest]) {
                    widest = i;
                }
            }
            int floor = Math.max(MIN_COLUMN, rows.get(0)[widest].length());
            if (width[widest] <= floor) {
                return; // nothing left to narrow: the table stays wider than asked
            }
            width[widest] = Math.max(floor, width[widest] - (total(width) - maxWidth));
        }
    }

    private int total(int[] width) {
        int sum = GAP.length() * (columns - 1);
        for (int w : width) {
            sum += w;
        }
        return sum;
    }

    /** Splits {@code text} into lines of at most {@code width} characters, at spaces where it can. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        String rest = text;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                lines.add(rest.substring(0, width));
                rest = rest.substring(width);
            } else {
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut + 1);
            }
        }
        lines.add(rest);
        return lines;
    }
}
