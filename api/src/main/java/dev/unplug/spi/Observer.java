package dev.unplug.spi;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * What a connection tells the outside: {@link System.Logger} records (logger {@value #LOGGER}; route it to SLF4J,
 * Log4j or JUL with the usual bridges) and JFR events ({@code dev.unplug.Disconnect}, {@code dev.unplug.Drop}),
 * which cost nothing when no recording is running. Every URI here is the redacted one: no secret is ever logged or
 * recorded. Stateless; thread-safe.
 *
 * <p>Levels: every per-connection event (each state change and each ending, whatever its outcome) at
 * {@code DEBUG}, as HikariCP, Netty and pgjdbc log theirs, so that an application that never configures logging
 * (JUL prints {@code INFO}) prints nothing for a drop and a mass shutdown writes no line per connection; a plugin or
 * listener that misbehaved at {@code WARNING}, with the reason. Host-level events (a shutdown's summary, a plugin
 * that cannot be used) are the host's, at {@code INFO} and {@code WARNING}. No message is put together unless the
 * logger will print it.
 */
final class Observer {

    /** The name of the logger connections log to. */
    static final String LOGGER = "dev.unplug.connection";
    private static final Logger LOG = System.getLogger(LOGGER);

    private Observer() {
    }

    static void stateChanged(String plugin, URI uri, ConnectionState from, ConnectionState to) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, plugin + " " + uri + ": " + from + " -> " + to);
        }
    }

    static void ended(String plugin, URI uri, boolean graceful, DisconnectOutcome o) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, plugin + " " + uri + ": " + how(graceful, o) + " ended "
                    + o.kind() + " in " + o.elapsed().toNanos() / 1000 + " us: " + o.reason()
                    + o.lastReply().map(r -> "; last reply: " + r).orElse(""));
        }
        if (!FlightRecorder.isInitialized()) {
            return; // no recording was ever started: not even the event class is loaded
        }
        DisconnectEvent e = new DisconnectEvent();
        if (e.isEnabled()) {
            e.plugin = plugin;
            e.uri = uri.toString();
            e.mode = o.kind() == DisconnectOutcome.Kind.FAILED ? "failed" : graceful ? "graceful" : "drop";
            e.outcome = o.kind().name();
            e.elapsed = o.elapsed().toNanos();
            e.lastReply = o.lastReply().orElse(null);
            e.commit();
        }
    }

    /** What kind of ending it was, for the record: a connect that failed is neither a drop nor a disconnect. */
    static String how(boolean graceful, DisconnectOutcome o) {
        if (o.kind() == DisconnectOutcome.Kind.FAILED) {
            return "connection";
        }
        return graceful ? "graceful disconnect" : "drop";
    }

    static void dropped(String plugin, URI uri, long elapsedNanos) {
        if (!FlightRecorder.isInitialized()) {
            return; // no recording was ever started: not even the event class is loaded
        }
        DropEvent e = new DropEvent();
        if (e.isEnabled()) {
            e.plugin = plugin;
            e.uri = uri.toString();
            e.elapsed = elapsedNanos;
            e.commit();
        }
    }

    static void misbehaved(String plugin, URI uri, String what, Throwable t) {
        if (LOG.isLoggable(Level.WARNING)) {
            LOG.log(Level.WARNING, plugin + " " + uri + ": " + what + ": " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        }
    }

    /** A connection ended: how, and how long its ending took. */
    @Name("dev.unplug.Disconnect")
    @Label("Unplug Disconnect")
    @Category("Unplug")
    @Description("A connection ended: gracefully or by a drop, with its outcome")
    @StackTrace(false)
    static final class DisconnectEvent extends Event {
        @Label("Plugin")
        String plugin;
        @Label("URI")
        @Description("The connection's URI, secrets masked")
        String uri;
        @Label("Mode")
        String mode;
        @Label("Outcome")
        String outcome;
        @Label("Elapsed")
        @Timespan(Timespan.NANOSECONDS)
        long elapsed;
        @Label("Last Reply")
        String lastReply;
    }

    /** A drop call: how long it took to return. */
    @Name("dev.unplug.Drop")
    @Label("Unplug Drop")
    @Category("Unplug")
    @Description("A drop() call on a connection")
    @StackTrace(false)
    static final class DropEvent extends Event {
        @Label("Plugin")
        String plugin;
        @Label("URI")
        String uri;
        @Label("Elapsed")
        @Timespan(Timespan.NANOSECONDS)
        long elapsed;
    }
}
