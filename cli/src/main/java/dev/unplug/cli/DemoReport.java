package dev.unplug.cli;

import java.util.List;

/** Renders the demo's report: the servers, a table with one row per protocol, then footnotes. Stateless. */
final class DemoReport {

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
        out.append(table.render()).append("\n\n");
        for (DemoRow r : rows) {
            if (r.note() != null) {
                out.append(String.format("%-8s  %s%n", r.protocol(), Errors.oneLine(r.note())));
            }
            for (String d : r.details()) {
                out.append(String.format("%-8s  %s%n", r.protocol(), Errors.oneLine(d)));
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
}
