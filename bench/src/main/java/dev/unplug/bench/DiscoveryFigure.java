package dev.unplug.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The discovery figure: what finding every plugin adds to a cold start. Child JVMs ({@link DiscoveryProbe}), run
 * alternately, build a host and open a first URI with every plugin of the bench jar present, or with none (the
 * same JVM and class path, service declarations hidden). Also checks that no provider is constructed before its
 * scheme is first opened.
 */
final class DiscoveryFigure implements Figure {

    private static final long GOAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    @Override
    public String name() {
        return "discovery";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int pairs = quick ? 3 : 25;
        Result r = new Result(name(), "Discovery: host start and first open, every plugin present vs none",
                "the same JVM and class path with no plugin (service declarations hidden by a class loader)",
                "<= 20 ms added (median); no provider constructed before its scheme is used");
        r.settings = Stats.f("%d cold child JVMs of each, alternating, after 2 unjudged; timed inside the child, JDK"
                + " logging already initialised (as in any application that logs), from main() to the host built, then"
                + " the first open(\"pop3://...\") (not connected: with no plugin it"
                + " fails as an unknown scheme)", pairs);
        List<long[]> all = new ArrayList<>();
        List<long[]> none = new ArrayList<>();
        String plugins = "";
        boolean lazy = true;
        String lazyDetail = "";
        for (int i = -2; i < pairs; i++) {
            String[] a = probe("all");
            String[] n = probe("none");
            if (i < 0) {
                continue;
            }
            all.add(new long[] {Long.parseLong(a[2]), Long.parseLong(a[3]), Long.parseLong(a[6])});
            none.add(new long[] {Long.parseLong(n[2]), Long.parseLong(n[3]), Long.parseLong(n[6])});
            plugins = a[1];
            boolean ok = "-".equals(a[4]) && "pop3".equals(a[5]);
            if (!ok) {
                lazyDetail = "active before open: " + a[4] + ", after: " + a[5];
            }
            lazy &= ok;
        }
        r.header("class path", "host built (median)", "first open (median)", "both (median)", "both (p90)",
                "whole child JVM (median)");
        long[] allBoth = row(r, "every plugin (" + plugins + " found)", all);
        long[] noneBoth = row(r, "no plugin", none);
        long[] allBuild = Stats.sorted(all.stream().mapToLong(s -> s[0]).toArray());
        long[] noneBuild = Stats.sorted(none.stream().mapToLong(s -> s[0]).toArray());
        long added = Stats.median(allBoth) - Stats.median(noneBoth);
        r.row("added by the plugins", "", "", Stats.ms(added), Stats.ms(Stats.pct(allBoth, 90)
                - Stats.pct(noneBoth, 90)), "");
        r.series("discovery: host start + first open, cold JVM", "every plugin", allBoth);
        r.series("discovery: host start + first open, cold JVM", "no plugin", noneBoth);
        r.judge(added <= GOAL_NANOS && lazy);
        if (added > GOAL_NANOS) {
            r.note("What stands in the way: in a cold JVM every class is loaded from the jar and interpreted; finding"
                    + " the plugins loads each provider class and its superclasses (" + plugins + " providers here,"
                    + Stats.f(" %.1f ms each", (Stats.median(allBuild) - Stats.median(noneBuild)) / 1e6
                    / Math.max(1, Integer.parseInt(plugins))) + "), reads each declaration from its class file and the services files, and the first open"
                    + " loads the pop3 plugin's connection classes. Removed on the way (see the README): JFR's"
                    + " start-up on the first plugin found, and Java's reflective annotation parsing at discovery"
                    + " and first open.");
        }
        r.note(lazy ? "No provider was constructed before its scheme was opened: after the host was built every"
                + " plugin was READY and none ACTIVE; after open(\"pop3://...\") only pop3 was ACTIVE (in every child)."
                : "A provider was constructed early: " + lazyDetail);
        return r;
    }

    private static long[] row(Result r, String name, List<long[]> samples) {
        long[] build = Stats.sorted(samples.stream().mapToLong(s -> s[0]).toArray());
        long[] open = Stats.sorted(samples.stream().mapToLong(s -> s[1]).toArray());
        long[] both = Stats.sorted(samples.stream().mapToLong(s -> s[0] + s[1]).toArray());
        long[] wall = Stats.sorted(samples.stream().mapToLong(s -> s[2]).toArray());
        r.row(name, Stats.ms(Stats.median(build)), Stats.ms(Stats.median(open)), Stats.ms(Stats.median(both)),
                Stats.ms(Stats.pct(both, 90)), Stats.ms(Stats.median(wall)));
        return both;
    }

    /** Runs one child; its PROBE fields, then the child's whole wall time in nanoseconds. */
    private static String[] probe(String mode) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DiscoveryProbe.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.US_ASCII))) {
            line = in.readLine();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the discovery probe did not end within 30 s");
        }
        long wall = System.nanoTime() - t0;
        if (line == null || !line.startsWith("PROBE ") || p.exitValue() != 0) {
            throw new IllegalStateException("the discovery probe (" + mode + ") failed: exit " + p.exitValue()
                    + ", printed " + line);
        }
        String[] f = line.split(" ");
        String[] out = java.util.Arrays.copyOf(f, 7);
        out[6] = Long.toString(wall);
        return out;
    }
}
