package dev.unplug.cli;

import java.util.List;

/**
 * Renders the demo's report: the servers, a table with one row per protocol, then footnotes, every line within
 * {@value #WIDTH} columns (long cells and footnotes wrap). Stateless.
 */
final class DemoReport {

    /** The widest line the report prints, so that it reads in a terminal of common width. */
    static final int WIDTH = 120;
    private static final int LABEL = 10;

    private DemoReport() {
    }

    static String render(List<String> servers, List<DemoRow> rows) {
        StringBuilder out = new StringBuilder("unplug demo: embedded servers on loopback\n");
        servers.forEach(s -> out.append("  ").append(s).append('\n'));
        out.append('\n');
        Table table = new Table("PROTOCOL", "WORK DONE", "GRACEFUL DISCONNECT", "DROP (2nd connection)", "RESULT");
        for (DemoRow r : rows) {
            table.row(r.protocol(), r.work(), DemoRow.cell(r.graceful()), DemoRow.cell(r.drop()), r.resultCell());
        }
        out.append(table.render(WIDTH)).append("\n\n");
        for (DemoRow r : rows) {
            if (r.note() != null) {
                footnote(out, r.protocol(), r.note());
            }
            for (String d : r.details()) {
                footnote(out, r.protocol(), d);
            }
        }
        long ok = rows.stream().filter(DemoRow::asExpected).count();
        long missing = rows.stream().filter(r -> r.result() == DemoRow.Result.NOT_AVAILABLE).count();
        out.append('\n').append(ok).append(" of ").append(rows.size()).append(" behaved as expected");
        if (missing > 0) {
            out.append("; ").append(missing).append(" not available yet");
        }
        out.append(ok == rows.size() ? "." : ": the demo did NOT fully succeed.");
        return out.toString();
    }

    /** One footnote: the protocol, then the text wrapped under itself. */
    private static void footnote(StringBuilder out, String protocol, String text) {
        int indent = Math.max(LABEL, protocol.length() + 2);
        List<String> lines = Table.wrap(Errors.oneLine(text), WIDTH - indent);
        for (int i = 0; i < lines.size(); i++) {
            String label = i == 0 ? protocol : "";
            out.append(label).append(" ".repeat(indent - label.length())).append(lines.get(i)).append('\n');
        }
    }
}
