package dev.unplug.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one command that runs every benchmark figure, each beside its anchor in the same run, and writes the report:
 *
 * <pre>
 * java -jar bench/target/unplug-bench.jar [--quick] [--only NAME[,NAME...]] [--out DIR] [--report FILE]
 * </pre>
 *
 * <p>{@code --quick} runs each figure for a few seconds (what CI runs: the figures keep compiling and running; their
 * numbers are not judged). {@code --out} is where {@code benchmarks.json} and {@code benchmarks.png} go (default
 * {@code bench/target/results}), {@code --report} where the Markdown report goes (default {@code DIR/BENCHMARKS.md}).
 * Exit status: 0 when every figure ran (met or missed: the report says which), 1 when one failed with an error or,
 * with {@code CI=true}, could not run here; 2 on bad arguments.
 */
public final class Main {

    private Main() {
    }

    static List<Figure> figures() {
        return List.of(new GracefulFigure(), new DropFigure(), new DeadlineFigure(), new AbortFigure(), new BulkFigure(),
                new DiscoveryFigure(), new MemoryFigure(), new CaptureFigure(), new WdsFigure(), new LanFigure(), new PostgresFigure(),
                new MqttFigure(), new WebSocketFigure());
    }

    /**
     * Runs the figures; see the class comment.
     *
     * @param args the options above
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>();
        Path out = Path.of("bench", "target", "results");
        Path report = null;
        Set<String> known = figures().stream().map(Figure::name).collect(Collectors.toCollection(LinkedHashSet::new));
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--only" -> {
                        for (String name : value(args, i++).split(",")) {
                            if (!known.contains(name.trim())) {
                                throw new IllegalArgumentException("no figure named '" + name.trim() + "'; the figures"
                                        + " are " + String.join(", ", known));
                            }
                            only.add(name.trim());
                        }
                    }
                    case "--out" -> out = Path.of(value(args, i++));
                    case "--report" -> report = Path.of(value(args, i++));
                    case "--help", "-h" -> {
                        usage(known);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("unplug-bench: " + e.getMessage());
            usage(known);
            System.exit(2);
            return;
        }
        String command = "java -jar bench/target/unplug-bench.jar" + (quick ? " --quick" : "")
                + (only.isEmpty() ? "" : " --only " + String.join(",", only));
        List<Result> results = new ArrayList<>();
        long start = System.nanoTime();
        for (Figure f : figures()) {
            if (!only.isEmpty() && !only.contains(f.name())) {
                continue;
            }
            System.out.printf(Locale.ROOT, "==== %s%s%n", f.name(), quick ? " (quick)" : "");
            long t0 = System.nanoTime();
            Result r;
            try {
                r = f.run(quick);
            } catch (Exception | Error e) {
                r = new Result(f.name(), f.name(), "", "");
                r.verdict = Result.Verdict.FAILED;
                r.note("failed: " + e);
                e.printStackTrace();
            }
            r.millis = (System.nanoTime() - t0) / 1_000_000;
            results.add(r);
            System.out.print(Report.text(r));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Path md = report != null ? report : out.resolve("BENCHMARKS.md");
        Report.write(results, quick, millis, command, out, md);
        System.out.printf(Locale.ROOT, "==== %d figures in %.1f s; report %s, results %s%n", results.size(),
                millis / 1000.0, md, out.resolve(Report.JSON));
        boolean ci = "true".equals(System.getenv("CI"));
        boolean failed = results.stream().anyMatch(r -> r.verdict == Result.Verdict.FAILED
                || (ci && r.verdict == Result.Verdict.NOT_RUN));
        System.exit(failed ? 1 : 0);
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    private static void usage(Set<String> known) {
        System.err.println("usage: java -jar unplug-bench.jar [--quick] [--only NAME[,NAME...]] [--out DIR]"
                + " [--report FILE]");
        System.err.println("figures: " + String.join(", ", known));
    }
}
