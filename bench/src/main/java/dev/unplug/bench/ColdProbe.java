package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One cold measure, in a JVM of its own started for it, in the library's default configuration (JDK logging as it
 * comes: nothing turned down): the first {@code drop()} of the JVM ({@code drop PORT}), the first raw close of a
 * Commons Net client's socket, its anchor ({@code raw PORT}), or the first {@code host.shutdown(2 s)} of N POP3
 * connections, half to a server that answers {@code QUIT} and half to one that never does
 * ({@code bulk N ANSWERING SILENT}). Prints one line {@code COLD ...}.
 */
public final class ColdProbe {

    private ColdProbe() {
    }

    /**
     * Runs one measure.
     *
     * @param args the mode and its ports
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "drop" -> {
                try (PluginHost host = PluginHost.builder().build()) {
                    DropFigure.Sample s = DropFigure.unplugDrop(host, "pop3://u:p@127.0.0.1:" + args[1],
                            Options.empty());
                    System.out.println("COLD drop " + s.returned() + " " + s.call());
                }
            }
            case "raw" -> {
                DropFigure.Sample s = DropFigure.commonsNetClose(Integer.parseInt(args[1]), false);
                System.out.println("COLD raw " + s.returned() + " " + s.call());
            }
            case "bulk" -> bulk(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("no mode " + args[0]);
        }
        System.exit(0);
    }

    private static void bulk(int n, int answering, int silent) {
        try (PluginHost host = PluginHost.builder().build()) {
            List<Connection> toAnswering = BulkFigure.openHalfSilent(host, n, answering, silent);
            long start = System.nanoTime();
            ShutdownReport report = host.shutdown(Duration.ofSeconds(2));
            long took = System.nanoTime() - start;
            long clean = BulkFigure.clean(report, toAnswering);
            long notEnded = BulkFigure.notEnded(report);
            System.out.println("COLD bulk " + took + " " + clean + " " + toAnswering.size() + " " + notEnded);
        }
    }

    /** Runs a probe in a fresh JVM on the bench's class path and returns its {@code COLD} line's fields. */
    static String[] run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), ColdProbe.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.US_ASCII))) {
            line = in.lines().filter(l -> l.startsWith("COLD ")).findFirst().orElse(null);
        }
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the cold probe " + String.join(" ", args) + " did not end in 120 s");
        }
        if (line == null || p.exitValue() != 0) {
            throw new IllegalStateException("the cold probe " + String.join(" ", args) + " failed: exit "
                    + p.exitValue());
        }
        return line.split(" ");
    }
}
