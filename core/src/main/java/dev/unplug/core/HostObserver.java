package dev.unplug.core;

import dev.unplug.api.DisconnectOutcome;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * What the host tells the outside: {@link System.Logger} records (logger {@value #LOGGER}) and JFR events
 * ({@code dev.unplug.PluginLoad}, {@code dev.unplug.Shutdown}), free when no recording runs. Levels: each plugin
 * found and constructed at {@code DEBUG}; a plugin that cannot be used ({@code FAILED}, {@code INCOMPATIBLE},
 * {@code DUPLICATE}) at {@code WARNING} with the reason; each shutdown's summary at {@code INFO} ({@code DEBUG} when it
 * had nothing to end), published by a thread of its own so that the shutdown's caller never waits for the logging
 * system. Stateless; thread-safe.
 */
final class HostObserver {

    /** The name of the logger the host logs to. */
    static final String LOGGER = "dev.unplug.host";
    private static final Logger LOG = System.getLogger(LOGGER);

    private HostObserver() {
    }

    /** A plugin entry reached a status: found (READY or unusable) or constructed (ACTIVE or FAILED). */
    static void plugin(PluginEntry e, long nanos) {
        PluginStatus s = e.status();
        boolean bad = s == PluginStatus.FAILED || s == PluginStatus.INCOMPATIBLE || s == PluginStatus.DUPLICATE;
        Level level = bad ? Level.WARNING : Level.DEBUG;
        if (LOG.isLoggable(level)) {
            LOG.log(level, "plugin " + e.id() + " from " + e.source() + ": " + s + (bad ? ": " + e.reason() : ""));
        }
        if (!FlightRecorder.isInitialized()) {
            return; // no recording was ever started: not even the event class is loaded
        }
        PluginLoadEvent event = new PluginLoadEvent();
        if (event.isEnabled()) {
            event.id = e.id();
            event.source = e.source();
            event.status = s.name();
            event.reason = e.reason();
            event.time = nanos;
            event.commit();
        }
    }

    static Thread shutdown(ShutdownReport report) {
        long clean = report.count(DisconnectOutcome.Kind.CLEAN);
        long refused = report.count(DisconnectOutcome.Kind.REFUSED);
        long escalated = report.count(DisconnectOutcome.Kind.ESCALATED);
        long dropped = report.count(DisconnectOutcome.Kind.DROPPED);
        long failed = report.count(DisconnectOutcome.Kind.FAILED);
        Level level = report.outcomes().isEmpty() ? Level.DEBUG : Level.INFO;
        // asked, made and published off the caller's thread: the logging system's first use in a JVM (finding the
        // backend, reading its configuration) took 40-100 ms of a cold shutdown's caller, its first record (JUL's
        // formatter loading its locale data) 40 ms on an idle machine and 200 ms beside a busy shutdown
        Thread publishing = new Thread(() -> {
            if (LOG.isLoggable(level)) {
                LOG.log(level, "shutdown of " + report.outcomes().size() + " connection(s) in "
                        + report.elapsed().toMillis() + " ms: " + clean + " clean, " + refused + " refused, "
                        + escalated + " escalated, " + dropped + " dropped, " + failed + " failed");
            }
        }, "unplug-shutdown-summary");
        publishing.setDaemon(true);
        publishing.start();
        if (!FlightRecorder.isInitialized()) {
            return publishing; // no recording was ever started: not even the event class is loaded
        }
        ShutdownEvent event = new ShutdownEvent();
        if (event.isEnabled()) {
            event.count = report.outcomes().size();
            event.clean = clean;
            event.refused = refused;
            event.escalated = escalated;
            event.dropped = dropped;
            event.failed = failed;
            event.elapsed = report.elapsed().toNanos();
            event.commit();
        }
        return publishing;
    }

    /** A plugin found, refused or constructed. */
    @Name("dev.unplug.PluginLoad")
    @Label("Unplug Plugin Load")
    @Category("Unplug")
    @Description("A plugin found by the host, refused, or constructed on first use")
    @StackTrace(false)
    static final class PluginLoadEvent extends Event {
        @Label("Id")
        String id;
        @Label("Source")
        @Description("class path, or the plugin jar's path")
        String source;
        @Label("Status")
        String status;
        @Label("Reason")
        String reason;
        @Label("Time")
        @Description("Constructing it (ACTIVE, or FAILED on construction); for a plugin found or refused, the host's"
                + " whole discovery")
        @Timespan(Timespan.NANOSECONDS)
        long time;
    }

    /** A host's shutdown of every connection it tracked. */
    @Name("dev.unplug.Shutdown")
    @Label("Unplug Shutdown")
    @Category("Unplug")
    @Description("A plugin host ended every connection it tracked under one deadline")
    @StackTrace(false)
    static final class ShutdownEvent extends Event {
        @Label("Connections")
        long count;
        @Label("Clean")
        long clean;
        @Label("Refused")
        long refused;
        @Label("Escalated")
        long escalated;
        @Label("Dropped")
        long dropped;
        @Label("Failed")
        @Description("Connections that had ended on their own (a failed connect or transport) by the time they were reached")
        long failed;
        @Label("Elapsed")
        @Timespan(Timespan.NANOSECONDS)
        long elapsed;
    }
}
