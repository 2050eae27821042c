package dev.unplug.micrometer;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import dev.unplug.core.HostListener;
import dev.unplug.core.PluginHost;
import dev.unplug.core.PluginInfo;
import dev.unplug.core.ShutdownReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * Micrometer metrics of one {@link PluginHost}: bind it to a registry and every connection the host opens from
 * then on is counted and timed as it ends.
 *
 * <pre>{@code
 * PluginHost host = PluginHost.fromClassPath();
 * UnplugMetrics metrics = new UnplugMetrics(host);
 * metrics.bindTo(registry);            // Spring Boot: expose it as a MeterBinder bean instead
 * ...
 * metrics.close();                     // stops listening to the host
 * }</pre>
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@value #ENDINGS}</td><td>counter</td><td>plugin, mode, outcome</td><td>connections ended; mode
 * {@code graceful} (a disconnect, outcome CLEAN, REFUSED or ESCALATED), {@code drop} (DROPPED) or {@code failed}
 * (ended on its own, FAILED)</td></tr>
 * <tr><td>{@value #DISCONNECT}</td><td>timer</td><td>plugin, outcome</td><td>how long graceful disconnects
 * took</td></tr>
 * <tr><td>{@value #DROP}</td><td>timer</td><td>plugin</td><td>how long drops took</td></tr>
 * <tr><td>{@value #OPEN}</td><td>gauge</td><td>plugin</td><td>connections the host tracks now (opened, not yet
 * ended), one gauge per plugin the host found</td></tr>
 * <tr><td>{@value #SHUTDOWN}</td><td>timer</td><td></td><td>how long each {@code host.shutdown} took</td></tr>
 * <tr><td>{@value #SHUTDOWN_CONNECTIONS}</td><td>counter</td><td>outcome</td><td>connections ended by
 * shutdowns</td></tr>
 * <tr><td>{@value #SHUTDOWN_LATE}</td><td>counter</td><td></td><td>shutdowns that returned after their
 * deadline</td></tr>
 * </table>
 *
 * <p>Every meter also carries the tags given to the constructor. No meter carries a URI or anything from it, so no
 * secret and no unbounded tag value reaches a registry. Recording costs a few map lookups per ending, on the thread
 * that ended the connection. Thread-safe; one instance may be bound to several registries.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class UnplugMetrics implements MeterBinder, AutoCloseable {

    /** Counter of endings. */
    public static final String ENDINGS = "unplug.connection.endings";
    /** Timer of graceful disconnects. */
    public static final String DISCONNECT = "unplug.connection.disconnect";
    /** Timer of drops. */
    public static final String DROP = "unplug.connection.drop";
    /** Gauge of open connections. */
    public static final String OPEN = "unplug.connections.open";
    /** Timer of shutdowns. */
    public static final String SHUTDOWN = "unplug.shutdown";
    /** Counter of connections ended by shutdowns. */
    public static final String SHUTDOWN_CONNECTIONS = "unplug.shutdown.connections";
    /** Counter of shutdowns that overran their deadline. */
    public static final String SHUTDOWN_LATE = "unplug.shutdown.late";

    private final PluginHost host;
    private final Tags common;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final HostListener listener = new Recorder();
    private boolean listening;
    private boolean closed;

    /**
     * Metrics of a host, with no extra tags.
     *
     * @param host the host
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null
     */
    public UnplugMetrics(PluginHost host) {
        this(host, Tags.empty());
    }

    /**
     * Metrics of a host, each meter with extra tags (such as {@code Tags.of("host", "mail")} when an application
     * has more than one host).
     *
     * @param host the host
     * @param tags tags added to every meter
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls
     */
    public UnplugMetrics(PluginHost host, Iterable<Tag> tags) {
        this.host = UnplugException.requireNonNull(host, "host");
        this.common = Tags.of(UnplugException.requireNonNull(tags, "tags"));
    }

    /**
     * Registers the gauges in the registry and starts recording the host's endings into it.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null; {@link ErrorKind#INVALID_STATE} after
     *         {@link #close()}
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        UnplugException.requireNonNull(registry, "registry");
        if (closed) {
            throw new UnplugException(ErrorKind.INVALID_STATE, "these metrics are closed; make new ones");
        }
        TreeSet<String> plugins = new TreeSet<>();
        for (PluginInfo p : host.plugins()) {
            plugins.add(p.id());
        }
        for (String plugin : plugins) {
            Gauge.builder(OPEN, host, h -> open(h, plugin)).tags(common).tag("plugin", plugin)
                    .description("connections the plugin host tracks now").baseUnit("connections")
                    .register(registry);
        }
        registries.add(registry);
        if (!listening) {
            listening = true;
            host.addListener(listener);
        }
    }

    /** Stops recording: the host forgets this listener; meters already registered stay in their registries. */
    @Override
    public synchronized void close() {
        host.removeListener(listener);
        registries.clear();
        closed = true;
    }

    private static double open(PluginHost host, String plugin) {
        int n = 0;
        for (Connection c : host.openConnections()) {
            if (plugin.equals(c.pluginId())) {
                n++;
            }
        }
        return n;
    }

    static String mode(DisconnectOutcome.Kind kind) {
        return switch (kind) {
            case DROPPED -> "drop";
            case FAILED -> "failed";
            case CLEAN, REFUSED, ESCALATED -> "graceful";
        };
    }

    /** Records into every bound registry. */
    private final class Recorder implements HostListener {

        @Override
        public void disconnected(Connection connection, DisconnectOutcome outcome) {
            String plugin = connection.pluginId();
            DisconnectOutcome.Kind kind = outcome.kind();
            String mode = mode(kind);
            for (MeterRegistry r : registries) {
                Counter.builder(ENDINGS).tags(common).tag("plugin", plugin).tag("mode", mode)
                        .tag("outcome", kind.name()).description("connections ended").register(r).increment();
                if (mode.equals("graceful")) {
                    Timer.builder(DISCONNECT).tags(common).tag("plugin", plugin).tag("outcome", kind.name())
                            .description("graceful disconnects").register(r).record(outcome.elapsed());
                } else if (mode.equals("drop")) {
                    Timer.builder(DROP).tags(common).tag("plugin", plugin).description("drops").register(r)
                            .record(outcome.elapsed());
                }
            }
        }

        @Override
        public void shutdown(ShutdownReport report) {
            for (MeterRegistry r : registries) {
                Timer.builder(SHUTDOWN).tags(common).description("plugin host shutdowns").register(r)
                        .record(report.elapsed());
                for (Map.Entry<DisconnectOutcome.Kind, Long> e : report.counts().entrySet()) {
                    if (e.getValue() > 0) {
                        Counter.builder(SHUTDOWN_CONNECTIONS).tags(common).tag("outcome", e.getKey().name())
                                .description("connections ended by shutdowns").register(r).increment(e.getValue());
                    }
                }
                Counter late = Counter.builder(SHUTDOWN_LATE).tags(common)
                        .description("shutdowns that returned after their deadline").register(r);
                if (report.elapsed().compareTo(report.deadline()) > 0) {
                    late.increment();
                }
            }
        }
    }
}
