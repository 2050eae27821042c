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
 * <p>Levels: each state change and each ending that went as asked ({@code CLEAN}, {@code REFUSED}) at
 * {@code DEBUG}; escalations and drops at {@code INFO}; a plugin or listener that misbehaved at {@code WARNING}, with
 * the reason.
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
        Level level = o.kind() == DisconnectOutcome.Kind.CLEAN || o.kind() == DisconnectOutcome.Kind.REFUSED
                ? Level.DEBUG : Level.INFO;
        if (LOG.isLoggable(level)) {
            LOG.log(level, plugin + " " + uri + ": " + (graceful ? "graceful disconnect" : "drop") + " ended "
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
            e.mode = graceful ? "graceful" : "drop";
            e.outcome = o.kind().name();
            e.elapsed = o.elapsed().toNanos();
            e.lastReply = o.lastReply().orElse(null);
            e.commit();
        }
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
