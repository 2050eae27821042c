package dev.unplug.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes the run's results: {@code BENCHMARKS.md}, {@code benchmarks.json} and {@code benchmarks.png}. Stateless. */
final class Report {

    static final String JSON = "benchmarks.json";
    static final String PNG = "benchmarks.png";
    static final String CURVES_PNG = "curves.png";
    private static final double[] PERCENTILES = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97, 98, 99, 99.5, 99.9};

    private Report() {
    }

    static void write(List<Result> results, boolean quick, long millis, String command, Path out, Path md)
            throws IOException {
        Files.createDirectories(out);
        Path mdDir = md.toAbsolutePath().getParent();
        Files.createDirectories(mdDir);
        boolean charted = chart(results, out.resolve(PNG));
        boolean curved = curves(results, out.resolve(CURVES_PNG));
        json(results, quick, millis, command, out.resolve(JSON));
        String png = mdDir.relativize(out.toAbsolutePath().resolve(PNG)).toString();
        String curves = mdDir.relativize(out.toAbsolutePath().resolve(CURVES_PNG)).toString();
        String json = mdDir.relativize(out.toAbsolutePath().resolve(JSON)).toString();
        Files.writeString(md, markdown(results, quick, millis, command, charted ? png : null, json)
                + (curved ? "\n![Figures against a size: each sender's line](" + curves + ")\n" : ""),
                StandardCharsets.UTF_8);
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cpus, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    }

    /** One figure as plain text for the console. */
    static String text(Result r) {
        StringBuilder b = new StringBuilder();
        b.append(r.title).append(": ").append(r.verdict).append(Stats.f(" (%.1f s)%n", r.millis / 1000.0));
        if (!r.header.isEmpty()) {
            b.append("  ").append(String.join(" | ", r.header)).append('\n');
        }
        r.rows.forEach(row -> b.append("  ").append(String.join(" | ", row)).append('\n'));
        r.notes.forEach(n -> b.append("  - ").append(n).append('\n'));
        return b.toString();
    }

    private static String markdown(List<Result> results, boolean quick, long millis, String command, String png,
            String json) {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Written by the bench harness, not by hand: every figure below was measured in one run of\n\n```sh\n")
                .append(command).append("\n```\n\n");
        b.append(Stats.f("on %s, %s; the whole run took %.1f minutes%s. Build first with"
                + " `mvn -B -ntp install -DskipTests`; `--only NAME` runs one figure. Raw results: [%s](%s).%n%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                machine(), millis / 60_000.0, quick ? " (--quick: a few seconds per figure; these numbers are not"
                        + " judged)" : "", json, json));
        if (png != null) {
            b.append("![Latency distributions, Unplug beside each anchor](").append(png).append(")\n\n");
        }
        b.append("| figure | anchor | goal | verdict |\n| --- | --- | --- | --- |\n");
        for (Result r : results) {
            b.append("| [").append(r.title).append("](#").append(anchorOf(r.title)).append(") | ")
                    .append(cell(r.anchor))
                    .append(" | ").append(cell(r.goal)).append(" | **").append(r.verdict).append("** |\n");
        }
        for (Result r : results) {
            b.append("\n## ").append(r.title).append("\n\n");
            b.append("- Anchor (same run): ").append(r.anchor).append('\n');
            b.append("- Goal: ").append(r.goal).append('\n');
            if (!r.settings.isEmpty()) {
                b.append("- Settings: ").append(r.settings).append('\n');
            }
            b.append(Stats.f("- Verdict: **%s**; took %.1f s; command: `java -jar bench/target/unplug-bench.jar%s"
                    + " --only %s`%n%n", r.verdict, r.millis / 1000.0, quick ? " --quick" : "", r.name));
            if (!r.header.isEmpty()) {
                b.append("| ").append(String.join(" | ", r.header.stream().map(Report::cell).toList())).append(" |\n");
                b.append("|").append(" --- |".repeat(r.header.size())).append('\n');
                for (List<String> row : r.rows) {
                    b.append("| ").append(String.join(" | ", row.stream().map(Report::cell).toList())).append(" |\n");
                }
                b.append('\n');
            }
            r.notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String anchorOf(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }

    private static void json(List<Result> results, boolean quick, long millis, String command, Path file)
            throws IOException {
        JsonArrayBuilder figures = Json.createArrayBuilder();
        for (Result r : results) {
            JsonObjectBuilder f = Json.createObjectBuilder().add("name", r.name).add("title", r.title)
                    .add("anchor", r.anchor).add("goal", r.goal).add("verdict", r.verdict.name())
                    .add("settings", r.settings).add("millis", r.millis);
            f.add("header", Json.createArrayBuilder(r.header));
            JsonArrayBuilder rows = Json.createArrayBuilder();
            r.rows.forEach(row -> rows.add(Json.createArrayBuilder(row)));
            f.add("rows", rows).add("notes", Json.createArrayBuilder(r.notes));
            JsonArrayBuilder series = Json.createArrayBuilder();
            for (Result.Series s : r.series) {
                JsonObjectBuilder p = Json.createObjectBuilder();
                for (double q : PERCENTILES) {
                    p.add("p" + (q == Math.rint(q) ? String.valueOf((long) q) : String.valueOf(q)),
                            Stats.pct(s.sortedNanos(), q));
                }
                series.add(Json.createObjectBuilder().add("chart", s.chart()).add("name", s.name())
                        .add("samples", s.sortedNanos().length).add("percentilesNanos", p)
                        .add("maxNanos", s.sortedNanos()[s.sortedNanos().length - 1]));
            }
            figures.add(f.add("series", series));
        }
        JsonObjectBuilder root = Json.createObjectBuilder().add("command", command).add("quick", quick)
                .add("machine", machine()).add("finishedAt", ZonedDateTime.now(ZoneOffset.UTC).toString())
                .add("millis", millis).add("figures", figures);
        JsonWriterFactory factory = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                JsonWriter jw = factory.createWriter(w)) {
            jw.writeObject(root.build());
        }
    }

    /** One percentile-curve chart per distribution group, in a grid of two columns; false when there is none. */
    private static boolean chart(List<Result> results, Path file) throws IOException {
        Map<String, XYSeriesCollection> charts = new LinkedHashMap<>();
        for (Result r : results) {
            for (Result.Series s : r.series) {
                if (s.sortedNanos().length == 0) {
                    continue;
                }
                XYSeries xy = new XYSeries(s.name() + " (n=" + s.sortedNanos().length + ")");
                for (double q : PERCENTILES) {
                    xy.add(q, Math.max(0.1, Stats.pct(s.sortedNanos(), q) / 1000.0));
                }
                charts.computeIfAbsent(s.chart(), k -> new XYSeriesCollection()).addSeries(xy);
            }
        }
        Files.deleteIfExists(file);
        if (charts.isEmpty()) {
            return false;
        }
        List<JFreeChart> drawn = new ArrayList<>();
        for (Map.Entry<String, XYSeriesCollection> e : charts.entrySet()) {
            JFreeChart chart = ChartFactory.createXYLineChart(e.getKey(), "percentile", "latency (µs, log scale)",
                    e.getValue(), PlotOrientation.VERTICAL, true, false, false);
            LogAxis y = new LogAxis("latency (µs, log scale)");
            y.setSmallestValue(0.1);
            y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
            chart.getXYPlot().setRangeAxis(y);
            drawn.add(chart);
        }
        grid(drawn, file);
        return true;
    }

    /** Draws charts in a grid of two columns, 640 x 400 each, white with light grid lines, into a PNG file. */
    private static void grid(List<JFreeChart> charts, Path file) throws IOException {
        int w = 640;
        int h = 400;
        int cols = 2;
        int rows = (charts.size() + cols - 1) / cols;
        BufferedImage image = new BufferedImage(w * cols, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                XYPlot plot = charts.get(i).getXYPlot();
                plot.setBackgroundPaint(Color.WHITE);
                plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
                plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
                charts.get(i).draw(g, new Rectangle2D.Double((i % cols) * w, (i / cols) * h, w, h));
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** One chart per curve group (linear axes, a line per sender), in a grid of two columns; false when none. */
    private static boolean curves(List<Result> results, Path file) throws IOException {
        Map<String, XYSeriesCollection> charts = new LinkedHashMap<>();
        Map<String, String[]> labels = new LinkedHashMap<>();
        for (Result r : results) {
            for (Result.Curve c : r.curves) {
                XYSeries xy = new XYSeries(c.name());
                for (int i = 0; i < c.x().length; i++) {
                    xy.add(c.x()[i], c.y()[i]);
                }
                charts.computeIfAbsent(c.chart(), k -> new XYSeriesCollection()).addSeries(xy);
                labels.putIfAbsent(c.chart(), new String[] {c.xLabel(), c.yLabel()});
            }
        }
        Files.deleteIfExists(file);
        if (charts.isEmpty()) {
            return false;
        }
        List<JFreeChart> drawn = new ArrayList<>();
        for (Map.Entry<String, XYSeriesCollection> e : charts.entrySet()) {
            String[] axes = labels.get(e.getKey());
            drawn.add(ChartFactory.createXYLineChart(e.getKey(), axes[0], axes[1], e.getValue(),
                    PlotOrientation.VERTICAL, true, false, false));
        }
        grid(drawn, file);
        return true;
    }
}
