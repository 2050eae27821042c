package dev.unplug.netcon;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's link notifications for one link, through {@code ip -o monitor link} (rtnetlink's RTMGRP_LINK group,
 * as iproute2 prints it): one process and one reader thread, each line about the link handed to a consumer as an
 * {@link Ip.Link}. Nothing is polled. {@link #close()} ends the process it started (by its handle) and the thread.
 */
final class LinkMonitor implements AutoCloseable {

    // "3: va@vb: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN ..." or "Deleted 3: ..."
    private static final Pattern EVENT = Pattern.compile(
            "^(Deleted )?\\d+: ([^:@\\s]+)(?:@\\S+)?: <([^>]*)>.*? state (\\S+)");

    private final Process process;
    private final Thread reader;

    LinkMonitor(Ip ip, String link, Consumer<Ip.Link> events) {
        try {
            this.process = new ProcessBuilder(ip.command("-o", "monitor", "link"))
                    .redirectInput(Ip.NO_INPUT).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UnplugException(ErrorKind.FAILED, "cannot run iproute2's ip monitor (" + e.getMessage()
                    + "); install iproute2", e);
        }
        this.reader = new Thread(() -> read(link, events), "unplug-netcon-monitor-" + link);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(String link, Consumer<Ip.Link> events) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Ip.Link l = parse(line, link);
                if (l != null) {
                    events.accept(l);
                }
            }
        } catch (IOException e) {
            // closed
        }
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

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (Thread.currentThread() != reader) {
                reader.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the process without waiting (a drop). */
    void stop() {
        process.destroy();
    }
}
