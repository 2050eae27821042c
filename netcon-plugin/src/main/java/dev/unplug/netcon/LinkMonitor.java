package dev.unplug.netcon;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's link notifications in one network namespace, through {@code ip -o monitor link} (rtnetlink's
 * RTMGRP_LINK group, as iproute2 prints it): one process and one reader thread per namespace for every connection
 * of this JVM watching a link there (forking {@code ip} costs milliseconds of CPU: twenty links connected at once
 * used to start twenty monitors), each line handed to the subscribers of the link it is about as an {@link Ip.Link}.
 * Nothing is polled. The process ends (by its handle) when its last subscription is closed. Thread-safe.
 */
final class LinkMonitor {

    // "3: va@vb: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN ..." or "Deleted 3: ..."
    private static final Pattern EVENT = Pattern.compile(
            "^(Deleted )?\\d+: ([^:@\\s]+)(?:@\\S+)?: <([^>]*)>.*? state (\\S+)");
    /** The monitors running, by the command that runs ip in their namespace. */
    private static final Map<List<String>, LinkMonitor> RUNNING = new ConcurrentHashMap<>();

    private final List<String> key;
    private final Process process;
    private final Thread reader;
    private final Map<String, List<Consumer<Ip.Link>>> subscribers = new ConcurrentHashMap<>();
    private int subscriptions; // guarded by RUNNING's entry for this key (compute)
    private boolean ended;     // likewise

    private LinkMonitor(Ip ip, List<String> key) {
        this.key = key;
        try {
            this.process = new ProcessBuilder(ip.command("-o", "monitor", "link"))
                    .redirectInput(Ip.NO_INPUT).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UnplugException(ErrorKind.FAILED, "cannot run iproute2's ip monitor (" + e.getMessage()
                    + "); install iproute2", e);
        }
        this.reader = new Thread(this::read, "unplug-netcon-monitor-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Watches one link: {@code events} gets every notification about it until the subscription is closed.
     * Starts the namespace's monitor when none runs.
     */
    static Subscription subscribe(Ip ip, String link, Consumer<Ip.Link> events) {
        List<String> key = ip.command();
        LinkMonitor[] joined = new LinkMonitor[1];
        RUNNING.compute(key, (k, running) -> {
            LinkMonitor m = running != null && !running.ended ? running : new LinkMonitor(ip, k);
            m.subscribers.computeIfAbsent(link, l -> new CopyOnWriteArrayList<>()).add(events);
            m.subscriptions++;
            joined[0] = m;
            return m;
        });
        return new Subscription(joined[0], link, events);
    }

    /** One connection's watch of one link; closing it never waits. */
    static final class Subscription {
        private final LinkMonitor monitor;
        private final String link;
        private final Consumer<Ip.Link> events;
        private boolean closed; // guarded by RUNNING's entry

        private Subscription(LinkMonitor monitor, String link, Consumer<Ip.Link> events) {
            this.monitor = monitor;
            this.link = link;
            this.events = events;
        }

        /** Stops the notifications; the last subscription of a namespace ends its process. Idempotent. */
        void close() {
            RUNNING.computeIfPresent(monitor.key, (k, m) -> {
                if (m != monitor) {
                    return m;
                }
                if (!closed) {
                    closed = true;
                    List<Consumer<Ip.Link>> of = m.subscribers.get(link);
                    if (of != null) {
                        of.remove(events);
                    }
                    m.subscriptions--;
                }
                if (m.subscriptions > 0) {
                    return m;
                }
                m.ended = true;
                m.process.destroy(); // a signal: no waiting (this may be the deadline thread)
                return null;
            });
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Matcher m = EVENT.matcher(line);
                List<Consumer<Ip.Link>> to = m.find() ? subscribers.get(m.group(2)) : null;
                if (to == null || to.isEmpty()) {
                    continue;
                }
                Ip.Link l = parse(line, m.group(2));
                for (Consumer<Ip.Link> c : to) {
                    c.accept(l);
                }
            }
        } catch (IOException e) {
            // closed
        }
        RUNNING.remove(key, this); // the process ended (or was ended): the next subscriber starts another
    }

    /** The link's state in one monitor line, or null when the line is about another link. */
    static Ip.Link parse(String line, String link) {
        Matcher m = EVENT.matcher(line);
        if (!m.find() || !m.group(2).equals(link)) {
            return null;
        }
        if (m.group(1) != null) {
            return Ip.Link.absent("deleted");
        }
        return new Ip.Link(true, Set.of(m.group(3).split(",")), m.group(4), "<" + m.group(3) + "> state "
                + m.group(4));
    }
}
