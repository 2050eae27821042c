package dev.unplug.netcon;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ip} work of one network namespace, shared by the calls that come together: forking {@code ip} costs
 * milliseconds of CPU, and twenty links connected at once used to fork eighty processes, which on a small machine
 * took the cores from everything else for half a second. A batch starts only when none runs, and serves every call
 * that came while the one before ran, so each call is served by work begun after it asked:
 * <ul>
 *   <li>link changes ({@code link set dev LINK up}) of a batch run as one {@code ip -force -batch -}, each line's
 *       error (iproute2 prints it followed by {@code Command failed -:N}) returned to its own caller;</li>
 *   <li>reads of a batch share one {@code ip -json link show} of every link, run after the batch's changes.</li>
 * </ul>
 * Thread-safe.
 */
final class IpBatches {

    private static final Map<List<String>, IpBatches> BY_NAMESPACE = new ConcurrentHashMap<>();
    private static final Pattern FAILED_LINE = Pattern.compile("^Command failed -:(\\d+)$", Pattern.MULTILINE);

    private final Ip ip;
    private final List<String> key;
    private Batch waiting;   // guarded by this: the calls the next batch serves
    private boolean running; // guarded by this

    private IpBatches(Ip ip, List<String> key) {
        this.ip = ip;
        this.key = key;
    }

    static IpBatches of(Ip ip) {
        return BY_NAMESPACE.computeIfAbsent(ip.command(), k -> new IpBatches(ip, k));
    }

    /** The calls one batch serves, and what it found. */
    private static final class Batch {
        final List<String> lines = new ArrayList<>();
        boolean read;
        String[] errors;
        Map<String, Ip.Link> links;
        UnplugException failure;
        boolean done;
    }

    /**
     * Every link of the namespace as the kernel reports them, read after this call began.
     *
     * @throws UnplugException typed as {@link Ip#failure} does, or {@link ErrorKind#TIMEOUT}
     */
    Map<String, Ip.Link> read(Duration timeout) {
        Batch b = await(null, null, timeout);
        if (b.links == null) {
            throw copy(b.failure);
        }
        return b.links;
    }

    /**
     * Runs one change, {@code ip LINE} (e.g. {@code link set dev va up}), in the next batch.
     *
     * @param what what it does, for its error
     * @throws UnplugException typed from what {@code ip} printed for this line ({@link Ip#failure})
     */
    void change(String what, String line, Duration timeout) {
        Batch b = await(what, line, timeout);
        if (b.errors == null) {
            throw copy(b.failure);
        }
        String error = b.errors[b.lines.indexOf(line)];
        if (error != null) {
            throw ip.failure(what, error);
        }
    }

    /**
     * A caller giving up takes its line out of a batch not started yet, so that it changes nothing later. Called
     * holding this object's lock.
     */
    private void withdraw(Batch mine, String line) {
        if (line != null && waiting == mine) {
            mine.lines.remove(line);
        }
    }

    private static String doing(String what) {
        return what != null ? what : "reading the links";
    }

    private Batch await(String what, String line, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        Batch mine;
        synchronized (this) {
            if (waiting == null) {
                waiting = new Batch();
            }
            mine = waiting;
            if (line == null) {
                mine.read = true;
            } else {
                mine.lines.add(line);
            }
            while (true) {
                if (mine.done) {
                    return mine;
                }
                if (!running && waiting == mine) {
                    running = true; // this call runs the batch for everyone in it
                    waiting = null;
                    break;
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    withdraw(mine, line);
                    throw new UnplugException(ErrorKind.TIMEOUT, doing(what) + ": ip did not answer within " + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    withdraw(mine, line);
                    throw new UnplugException(ErrorKind.ABORTED, doing(what) + ": interrupted", e);
                }
            }
        }
        try {
            Duration left = Duration.ofNanos(Math.max(1_000_000, until - System.nanoTime()));
            if (!mine.lines.isEmpty()) {
                mine.errors = runLines(mine.lines, left);
            }
            if (mine.read) {
                mine.links = ip.showAll(Duration.ofNanos(Math.max(1_000_000, until - System.nanoTime())));
            }
        } catch (UnplugException e) {
            mine.failure = e;
        } catch (RuntimeException e) {
            mine.failure = new UnplugException(ErrorKind.UNEXPECTED, "running ip failed", e);
        } finally {
            synchronized (this) {
                mine.done = true;
                running = false;
                if (waiting == null) {
                    BY_NAMESPACE.remove(key, this); // idle: a later call starts afresh
                }
                notifyAll();
            }
        }
        return mine;
    }

    /** Runs the lines as one {@code ip -force -batch -}: for each line, what ip printed of its failure, or null. */
    private String[] runLines(List<String> lines, Duration timeout) {
        Process p = Ip.start("changing links", new ProcessBuilder(ip.command("-force", "-batch", "-"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> Ip.read(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // ip ended before reading (a namespace that does not exist): its error says why
        }
        Ip.await("changing links", p, timeout);
        String said = err.join();
        String[] errors = new String[lines.size()];
        Matcher m = FAILED_LINE.matcher(said);
        int from = 0;
        boolean any = false;
        while (m.find()) {
            int n = Integer.parseInt(m.group(1)) - 1;
            if (n >= 0 && n < errors.length) {
                errors[n] = said.substring(from, m.start()).strip();
                any = true;
            }
            from = m.end();
        }
        if (p.exitValue() != 0 && !any) {
            // ip failed before any line (no such namespace, no permission to enter it): every line failed so
            String whole = said.strip();
            Arrays.fill(errors, whole.isEmpty() ? "ip exited " + p.exitValue() : whole);
        }
        return errors;
    }

    private static UnplugException copy(UnplugException e) {
        return new UnplugException(e.kind(), e.getMessage(), e);
    }
}
