package dev.unplug.core;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * What {@link PluginHost#shutdown(Duration)} did: how long it took, under which deadline, and how each tracked
 * connection ended. Immutable and thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ShutdownReport {

    private final Duration elapsed;
    private final Duration deadline;
    private final Map<Connection, DisconnectOutcome> outcomes;
    private final Map<DisconnectOutcome.Kind, Long> counts;

    /**
     * @param outcomes every connection's outcome, in the order the host tracked them; kept as it is (not copied: the
     *        shutdown made it for this report alone, and copying 10,000 entries is time after the deadline)
     */
    ShutdownReport(Duration elapsed, Duration deadline, LinkedHashMap<Connection, DisconnectOutcome> outcomes) {
        this.elapsed = elapsed;
        this.deadline = deadline;
        this.outcomes = Collections.unmodifiableMap(outcomes);
        DisconnectOutcome.Kind[] kinds = DisconnectOutcome.Kind.values();
        long[] n = new long[kinds.length];
        for (DisconnectOutcome o : outcomes.values()) {
            n[o.kind().ordinal()]++;
        }
        Map<DisconnectOutcome.Kind, Long> c = new EnumMap<>(DisconnectOutcome.Kind.class);
        for (DisconnectOutcome.Kind k : kinds) {
            c.put(k, n[k.ordinal()]);
        }
        this.counts = Collections.unmodifiableMap(c);
    }

    /** Time from the start of the shutdown to its return. */
    public Duration elapsed() {
        return elapsed;
    }

    /** The overall deadline the shutdown ran under. */
    public Duration deadline() {
        return deadline;
    }

    /** How each connection that was open when the shutdown started ended, in the order they were opened. */
    public Map<Connection, DisconnectOutcome> outcomes() {
        return outcomes;
    }

    /** How many connections ended each way; every kind is present, zero included. */
    public Map<DisconnectOutcome.Kind, Long> counts() {
        return counts;
    }

    /** How many connections ended the given way. */
    public long count(DisconnectOutcome.Kind kind) {
        return kind == null ? 0 : counts.get(kind);
    }

    /** A one-line summary: {@code shutdown of 3 connections in 12 ms (deadline 5000 ms): CLEAN 2, ...}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("shutdown of ").append(outcomes.size()).append(" connection")
                .append(outcomes.size() == 1 ? "" : "s").append(" in ").append(elapsed.toMillis())
                .append(" ms (deadline ").append(deadline.toMillis()).append(" ms): ");
        String sep = "";
        for (Map.Entry<DisconnectOutcome.Kind, Long> e : counts.entrySet()) {
            s.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        return s.toString();
    }
}
