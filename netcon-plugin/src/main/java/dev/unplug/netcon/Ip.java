package dev.unplug.netcon;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iproute2's {@code ip}, run as a process with its arguments as a list (never through a shell), optionally in a
 * named network namespace ({@code ip -n NS ...}); and what the kernel says about one link. Names are checked
 * before they reach a command line. Thread-safe.
 */
final class Ip {

    /** A link name: what the kernel accepts (at most 15 bytes), restricted to letters, digits, '.', '_' and '-'. */
    static final Pattern LINK = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");
    /** A namespace name as {@code ip netns} stores it under /run/netns. */
    static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern FLAGS = Pattern.compile("\"flags\":\\[([^\\]]*)]");
    private static final Pattern OPERSTATE = Pattern.compile("\"operstate\":\"(\\w+)\"");
    private static final Pattern NAME = Pattern.compile("\"ifname\":\"([^\"]+)\"");

    /** Standard input of every ip process: nothing. */
    static final ProcessBuilder.Redirect NO_INPUT = ProcessBuilder.Redirect.from(new java.io.File("/dev/null"));

    /** Links waiting to be set down, by the command that runs ip in their namespace. */
    private static final Map<List<String>, Queue<String>> DOWNS = new ConcurrentHashMap<>();
    /** The namespaces whose queued downs a clean-up thread is setting now (it takes what comes meanwhile next). */
    private static final Set<List<String>> DOWNING = ConcurrentHashMap.newKeySet();
    /** How long a batch of downs may run before its process is ended. */
    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(2);

    private final List<String> prefix;
    private final String netns;

    /**
     * @param prefix the command that runs {@code ip} (normally {@code ip}; tests put {@code setpriv ...} before it)
     * @param netns the namespace, or null for this process's own
     */
    Ip(List<String> prefix, String netns) {
        this.prefix = List.copyOf(prefix);
        this.netns = netns;
    }

    /** What the kernel reports about one link at one moment. */
    record Link(boolean present, Set<String> flags, String operstate, String text) {
        static Link absent(String why) {
            return new Link(false, Set.of(), "ABSENT", why);
        }

        boolean up() {
            return flags.contains("UP");
        }

        boolean operational() {
            return up() && flags.contains("LOWER_UP") && !flags.contains("NO-CARRIER")
                    && (operstate.equals("UP") || operstate.equals("UNKNOWN"));
        }
    }

    /** The command line for {@code ip [-n NS] ARGS...}. */
    List<String> command(String... args) {
        List<String> all = new ArrayList<>(prefix);
        if (netns != null) {
            all.add("-n");
            all.add(netns);
        }
        all.addAll(List.of(args));
        return all;
    }

    /**
     * Runs {@code ip [-n NS] ARGS...} and returns its standard output.
     *
     * @throws UnplugException typed from what {@code ip} printed ({@link #failure}), or {@link ErrorKind#TIMEOUT}
     */
    String run(String what, Duration timeout, String... args) {
        Process p = start(what, new ProcessBuilder(command(args)).redirectInput(Ip.NO_INPUT));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        await(what, p, timeout);
        if (p.exitValue() != 0) {
            throw failure(what, err.join().strip());
        }
        return out;
    }

    /** Starts an {@code ip} process; its absence is a typed error. */
    static Process start(String what, ProcessBuilder ip) {
        try {
            return ip.start();
        } catch (IOException e) {
            throw new UnplugException(ErrorKind.FAILED, what + ": cannot run iproute2's ip (" + e.getMessage()
                    + "); install iproute2", e);
        }
    }

    /** Waits for an {@code ip} process to end within the timeout; ends it by its handle when it does not. */
    static void await(String what, Process p, Duration timeout) {
        try {
            if (!p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new UnplugException(ErrorKind.TIMEOUT, what + ": ip did not answer within " + timeout);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new UnplugException(ErrorKind.ABORTED, what + ": interrupted", e);
        }
    }

    /**
     * Queues {@code ip link set dev LINK down} for {@link #setQueuedDown()}: links of one namespace dropped at about
     * the same time are set down by one {@code ip -batch} process rather than one process each (forking ip costs
     * milliseconds of CPU, which twenty drops at once would take from everything else at that instant).
     */
    void queueDown(String link) {
        DOWNS.compute(command(), (k, queued) -> {
            Queue<String> q = queued != null ? queued : new ConcurrentLinkedQueue<>();
            q.add(link); // inside the map's lock: setQueuedDown takes whole queues
            return q;
        });
    }

    /**
     * Sets every link queued in this namespace down with one {@code ip -force -batch -}, one batch at a time: links
     * queued while a batch runs are set by the next one, which the running call starts when its batch has ended
     * (twenty drops at about the same instant fork two processes, not one for each call that found a few links
     * queued). A drop never fails: a link whose down fails stays as it is and its connection ends anyway; a batch that
     * takes longer than {@code DOWN_TIMEOUT} is ended by its handle. Returns at once when another call is setting
     * this namespace's links.
     */
    void setQueuedDown() {
        List<String> key = command();
        if (!DOWNING.add(key)) {
            return; // the running call takes this call's links after its batch
        }
        while (true) {
            Queue<String> queued = DOWNS.remove(key);
            StringBuilder lines = new StringBuilder();
            for (String link; queued != null && (link = queued.poll()) != null; ) {
                lines.append("link set dev ").append(link).append(" down\n");
            }
            if (lines.length() == 0) {
                DOWNING.remove(key);
                if (DOWNS.containsKey(key) && DOWNING.add(key)) {
                    continue; // queued between the take and the removal above, and nobody else took it up
                }
                return;
            }
            try {
                setDown(lines.toString());
            } catch (RuntimeException | Error e) {
                DOWNING.remove(key); // never leave the namespace marked busy: the next drop's call sets its links
                throw e;
            }
        }
    }

    private void setDown(String lines) {
        try {
            Process p = new ProcessBuilder(command("-force", "-batch", "-"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(lines.getBytes(StandardCharsets.US_ASCII)); // a few lines: the pipe takes them
            }
            await("setting links down", p, DOWN_TIMEOUT);
        } catch (IOException | UnplugException e) {
            // as above: the connections end anyway
        }
    }

    /**
     * The link as the kernel reports it now (read after this call began); absent when it does not exist. Calls for
     * links of the same namespace made while a read runs share the next one ({@link IpBatches}).
     */
    Link show(String link, Duration timeout) {
        Map<String, Link> all = IpBatches.of(this).read(timeout);
        Link l = all.get(link);
        return l != null ? l : Link.absent("reading link " + link + ": no link"
                + (netns == null ? "" : " in network namespace " + netns));
    }

    /**
     * Runs {@code ip link set dev LINK ARGS...} in the namespace's next batch ({@link IpBatches}).
     *
     * @throws UnplugException typed from what {@code ip} printed ({@link #failure}), or {@link ErrorKind#TIMEOUT}
     */
    void set(String what, Duration timeout, String link, String... args) {
        IpBatches.of(this).change(what, "link set dev " + link + " " + String.join(" ", args), timeout);
    }

    /** Every link of the namespace, by name, as {@code ip -json link show} prints them. */
    Map<String, Link> showAll(Duration timeout) {
        String json = run("reading the links", timeout, "-json", "link", "show");
        Map<String, Link> all = new HashMap<>();
        String[] objects = json.split("\\{\"ifindex\":");
        for (int i = 1; i < objects.length; i++) {
            String o = objects[i];
            Matcher flags = FLAGS.matcher(o);
            Matcher state = OPERSTATE.matcher(o);
            Matcher name = NAME.matcher(o);
            if (!flags.find() || !state.find() || !name.find()) {
                throw new UnplugException(ErrorKind.UNEXPECTED, "ip -json link show printed what this plugin cannot"
                        + " read: " + json.strip());
            }
            Set<String> set = Set.of(flags.group(1).replace("\"", "").split(","));
            all.put(name.group(1), new Link(true, set, state.group(1), "<" + flags.group(1).replace("\"", "")
                    + "> state " + state.group(1)));
        }
        return all;
    }

    /**
     * The typed error for what {@code ip} printed on failure, the standard COM set by cause: no such link or
     * namespace is {@link ErrorKind#INVALID_ARGUMENT}, a missing permission {@link ErrorKind#ACCESS_DENIED}, an
     * operation the link type cannot do {@link ErrorKind#NOT_SUPPORTED}, no memory {@link ErrorKind#OUT_OF_RESOURCES},
     * anything else {@link ErrorKind#FAILED}.
     */
    UnplugException failure(String what, String said) {
        String s = said.toLowerCase(Locale.ROOT);
        String where = netns == null ? "" : " in network namespace " + netns;
        if (s.contains("cannot open network namespace") || s.contains("cannot find netns")) {
            return new UnplugException(ErrorKind.INVALID_ARGUMENT, what + ": no network namespace " + netns + " ("
                    + said + ")");
        }
        if (s.contains("cannot find device") || s.contains("does not exist") || s.contains("no such device")) {
            return new UnplugException(ErrorKind.INVALID_ARGUMENT, what + ": no link" + where + " (" + said + ")");
        }
        if (s.contains("operation not permitted") || s.contains("permission denied")) {
            return new UnplugException(ErrorKind.ACCESS_DENIED, what + ": changing a link needs root or CAP_NET_ADMIN"
                    + (netns == null ? "" : " (and entering a namespace CAP_SYS_ADMIN)") + ": " + said);
        }
        if (s.contains("operation not supported") || s.contains("not supported")) {
            return new UnplugException(ErrorKind.NOT_SUPPORTED, what + ": the link's type cannot do it (" + said + ")");
        }
        if (s.contains("no buffer space") || s.contains("cannot allocate memory")) {
            return new UnplugException(ErrorKind.OUT_OF_RESOURCES, what + ": " + said);
        }
        return new UnplugException(ErrorKind.FAILED, what + ": ip failed: " + said);
    }

    /** Everything a process printed on one stream (empty when it cannot be read). */
    static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
