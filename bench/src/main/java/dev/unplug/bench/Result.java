package dev.unplug.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one figure measured, as the report shows it: one table (a header and rows), the verdict against its goal,
 * notes, and the latency distributions to draw. Built by one figure on one thread.
 */
final class Result {

    /** How the figure stands against its goal. */
    enum Verdict {
        /** Every goal of the figure was met in this run. */
        MET,
        /** At least one goal was missed; the notes say by how much and what stands in the way. */
        MISSED,
        /** A figure without a goal, or one this mode does not judge. */
        NOT_JUDGED,
        /** The figure could not run here (the notes say why: no root, a missing tool). */
        NOT_RUN,
        /** The figure failed with an error (in the notes). */
        FAILED
    }

    /** One latency distribution: sorted samples in nanoseconds, drawn as a percentile curve. */
    record Series(String chart, String name, long[] sortedNanos) {
    }

    /** One line of a chart against a size (such as wall time against clients), drawn on linear axes. */
    record Curve(String chart, String xLabel, String yLabel, String name, double[] x, double[] y) {
    }

    final String name;
    final String title;
    final String anchor;
    final String goal;
    Verdict verdict = Verdict.NOT_JUDGED;
    String settings = "";
    final List<String> header = new ArrayList<>();
    final List<List<String>> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<Series> series = new ArrayList<>();
    final List<Curve> curves = new ArrayList<>();
    long millis;

    Result(String name, String title, String anchor, String goal) {
        this.name = name;
        this.title = title;
        this.anchor = anchor;
        this.goal = goal;
    }

    Result header(String... cells) {
        header.addAll(List.of(cells));
        return this;
    }

    Result row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    Result curve(String chart, String xLabel, String yLabel, String curveName, double[] x, double[] y) {
        curves.add(new Curve(chart, xLabel, yLabel, curveName, x, y));
        return this;
    }

    Result note(String text) {
        notes.add(text);
        return this;
    }

    /**
     * For a figure against a real server of {@code scripts/servers.sh}: whether it listens on 127.0.0.1 at that port
     * (1 s to connect); when not, the figure is NOT_RUN with a note naming the server.
     */
    boolean serverListening(String server, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (java.io.IOException e) {
            verdict = Verdict.NOT_RUN;
            note("not run: no " + server + " on 127.0.0.1:" + port + " (scripts/servers.sh start runs one)");
            return false;
        }
    }

    /** Sets the verdict from one judgement: MET when ok, else MISSED. Once missed, stays missed. */
    Result judge(boolean ok) {
        if (verdict == Verdict.NOT_JUDGED || verdict == Verdict.MET) {
            verdict = ok ? Verdict.MET : Verdict.MISSED;
        }
        return this;
    }

    Result series(String chart, String seriesName, long[] sortedNanos) {
        series.add(new Series(chart, seriesName, sortedNanos));
        return this;
    }
}
