package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.api.capture.CaptureState;
import dev.unplug.api.capture.CaptureStatistics;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code unplug probe URI [--deadline 2s] [--mode graceful|drop] [--json] [--plugins-dir DIR] [--option k=v]}:
 * opens a connection through the plugin serving the URI's scheme, connects (logging in when the URI carries user
 * info), ends it in the chosen mode and prints the outcome. Exit 0 when the connection was made and ended
 * (whatever the outcome), 1 when connecting or disconnecting raised a typed error, 2 for bad input. For a capture
 * device ({@code capture://lo?filter=...}) it also starts a capture, captures for {@code --for} (default 2 s),
 * stops, and reports the counts and the file before ending the device.
 */
final class ProbeCommand {

    static final Args.Spec SPEC = new Args.Spec("probe", Set.of("--json"),
            Set.of("--deadline", "--mode", "--plugins-dir", "--option", "--for"), Set.of("--option"), 1, 1, "URI");

    private ProbeCommand() {
    }

    static int run(List<String> arguments, Console console) {
        Args args = Args.parse(SPEC, arguments);
        String rawUri = args.positionals().get(0);
        console.secretsOfUri(rawUri);
        Options options = options("probe", args, console);
        Duration deadline = duration("probe", "--deadline",
                args.value("--deadline").orElse(Options.DEFAULT_DISCONNECT));
        String mode = args.value("--mode").orElse("graceful").toLowerCase(Locale.ROOT);
        if (!mode.equals("graceful") && !mode.equals("drop")) {
            throw new UsageException("probe", "--mode must be graceful or drop, not '" + args.value("--mode")
                    .orElse("") + "'");
        }
        boolean json = args.flag("--json");
        Duration captureFor = duration("probe", "--for", args.value("--for").orElse("2s"));
        try (PluginHost host = Hosts.open("probe", args.value("--plugins-dir"))) {
            Connection connection = Hosts.connection(host, "probe", rawUri, options);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("plugin", connection.pluginId());
            report.put("uri", connection.uri().toString());
            report.put("mode", mode);
            report.put("deadlineMillis", mode.equals("graceful") ? deadline.toMillis() : null);
            long start = System.nanoTime();
            try {
                connection.connect();
            } catch (UnplugException e) {
                report.put("connectMillis", millis(System.nanoTime() - start));
                return failed(console, json, report, null, e);
            }
            report.put("connectMillis", millis(System.nanoTime() - start));
            if (connection.pluginId().equals("capture")) {
                try {
                    capture(connection, captureFor, report);
                } catch (UnplugException e) {
                    connection.close();
                    return failed(console, json, report, connection.outcome().orElse(null), e);
                }
            }
            DisconnectOutcome outcome;
            try {
                outcome = mode.equals("graceful") ? connection.disconnect(deadline) : connection.drop();
            } catch (UnplugException e) {
                return failed(console, json, report, connection.outcome().orElse(null), e);
            }
            put(report, outcome, null);
            if (json) {
                console.out(Json.write(report));
            } else {
                console.out("connected to " + report.get("uri") + " (plugin " + report.get("plugin") + ") in "
                        + report.get("connectMillis") + " ms");
                if (report.containsKey("capture")) {
                    console.out("captured for " + captureFor.toMillis() + " ms: " + report.get("capture"));
                }
                console.out(describe(mode, deadline, outcome));
            }
            return 0;
        }
    }

    /** Starts a capture, waits, stops, and puts the counts and the file in the report. */
    private static void capture(Connection connection, Duration duration, Map<String, Object> report) {
        CaptureControl control = connection.unwrap(CaptureControl.class);
        control.start();
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (control.captureState() != CaptureState.IDLE) {
            control.stop(); // a trigger may have stopped it already
        }
        CaptureStatistics s = control.statistics();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("mode", control.mode().name());
        c.put("framesSeen", s.framesSeen());
        c.put("framesWritten", s.framesWritten());
        c.put("bytesWritten", s.bytesWritten());
        c.put("framesSkippedWhilePaused", s.framesSkippedWhilePaused());
        c.put("framesDroppedByKernel", s.framesDroppedByKernel());
        c.put("framesDroppedByInterface", s.framesDroppedByInterface());
        c.put("file", control.currentFile().map(Object::toString).orElse(null));
        report.put("capture", c);
    }

    private static int failed(Console console, boolean json, Map<String, Object> report, DisconnectOutcome outcome,
            UnplugException error) {
        put(report, outcome, error);
        if (json) {
            console.out(Json.write(report));
        }
        console.err(Errors.line(error));
        return 1;
    }

    private static void put(Map<String, Object> report, DisconnectOutcome outcome, UnplugException error) {
        report.put("outcome", outcome == null ? null : outcome.kind().name());
        report.put("elapsedMillis", outcome == null ? null : millis(outcome.elapsed().toNanos()));
        report.put("lastReply", outcome != null ? outcome.lastReply().orElse(null)
                : error.serverReply().orElse(null));
        report.put("reason", outcome != null ? outcome.reason() : "connect failed");
        report.put("error", error == null ? null : Errors.json(error));
    }

    private static String describe(String mode, Duration deadline, DisconnectOutcome o) {
        String how = mode.equals("graceful") ? "graceful disconnect (deadline " + deadline.toMillis() + " ms)"
                : "drop";
        return how + ": " + o.kind() + " in " + millis(o.elapsed().toNanos()) + " ms -- " + o.reason()
                + o.lastReply().map(r -> "; last reply: " + r).orElse("");
    }

    /** The {@code --option NAME=VALUE} values of a command, secret ones remembered for masking. */
    static Options options(String command, Args args, Console console) {
        Options.Builder b = Options.builder();
        for (String option : args.values("--option")) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(command, "--option must look like NAME=VALUE, such as connectTimeout=5s");
            }
            String name = option.substring(0, eq).strip();
            String value = option.substring(eq + 1);
            console.secretOption(name, value);
            b.set(name, value);
        }
        return b.build();
    }

    /** A duration option of a command, a usage error when malformed. */
    static Duration duration(String command, String name, String text) {
        try {
            return Options.parseDuration(name, text);
        } catch (UnplugException e) {
            throw new UsageException(command, e);
        }
    }

    /** Milliseconds with one decimal, as a number. */
    static double millis(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }
}
