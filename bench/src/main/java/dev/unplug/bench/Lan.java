package dev.unplug.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated LAN in network namespaces, built from what this kernel offers (root only): one server namespace and
 * {@code n} client namespaces joined by a Linux bridge that lives in a namespace of its own, the server's link
 * limited to a rate by {@code tc ... tbf}, and optionally a random loss on each client's input by nftables
 * ({@code numgen random mod 100 < loss drop}). IPv4 multicast crosses the bridge (snooping off; TTL 1 reaches every
 * client). Addresses: the server 10.77.0.1 on its link {@code s0}, client {@code i} (1..n) 10.77.0.(10+i) on its link
 * {@code c0}; those hosts exist only inside these namespaces.
 *
 * <p>Every namespace is named {@code unplug-lan-<pid>-...} after this JVM, and every link is created inside them
 * ({@code ip link add ... netns ... peer ... netns ...}): nothing is added to, changed in or removed from the default
 * namespace. {@link #close()} deletes them all (their links go with them); a shutdown hook does the same when the
 * JVM is interrupted; {@link #up} first removes what a LAN of a JVM that no longer runs left behind. Not
 * thread-safe: one LAN, one owner.
 */
final class Lan implements AutoCloseable {

    static final String SERVER_ADDRESS = "10.77.0.1";
    static final String SERVER_LINK = "s0";
    static final String CLIENT_LINK = "c0";
    private static final String PREFIX = "unplug-lan-";
    private static final Pattern TX_BYTES = Pattern.compile("\"tx\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)");

    private final String name;
    private final int clients;
    private final List<String> namespaces = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    private Lan(String name, int clients) {
        this.name = name;
        this.clients = clients;
        this.hook = new Thread(this::removeAll, "unplug-lan-cleanup");
    }

    /** Why a LAN cannot be built here, or null when it can: root and iproute2, tc and nft installed. */
    static String problem() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (network namespaces, tc, nftables)";
        }
        for (String tool : List.of("ip", "tc", "nft")) {
            if (!onPath(tool)) {
                return tool + " is not installed (scripts/servers.sh install installs iproute2 and nftables)";
            }
        }
        return null;
    }

    /**
     * Builds the LAN.
     *
     * @param clients client namespaces, 1 to 200
     * @param rateMbit the server link's rate in Mbit/s
     * @param lossPercent random loss on each client's input, 0 to 99
     */
    static Lan up(int clients, int rateMbit, int lossPercent) throws IOException, InterruptedException {
        if (clients < 1 || clients > 200 || rateMbit < 1 || lossPercent < 0 || lossPercent > 99) {
            throw new IllegalArgumentException("a LAN of 1-200 clients, a rate >= 1 Mbit/s and 0-99 % loss, not "
                    + clients + ", " + rateMbit + ", " + lossPercent);
        }
        removeLeftovers();
        Lan lan = new Lan(PREFIX + ProcessHandle.current().pid(), clients);
        Runtime.getRuntime().addShutdownHook(lan.hook);
        try {
            lan.build(rateMbit, lossPercent);
        } catch (IOException | InterruptedException | RuntimeException e) {
            lan.close();
            throw e;
        }
        return lan;
    }

    /**
     * One namespace of this JVM holding {@code pairs} veth pairs {@code va<i>}/{@code vb<i>} (0-based), both ends
     * down: a netcon connection to {@code va<i>} brings it up and then waits for an operational state that never
     * comes, as a cable pulled out would leave it. Removed as a LAN is.
     *
     * @param pairs 1 to 200
     */
    static Lan links(int pairs) throws IOException, InterruptedException {
        if (pairs < 1 || pairs > 200) {
            throw new IllegalArgumentException("1-200 link pairs, not " + pairs);
        }
        removeLeftovers();
        Lan lan = new Lan(PREFIX + ProcessHandle.current().pid(), 0);
        Runtime.getRuntime().addShutdownHook(lan.hook);
        try {
            String ns = lan.add("links");
            for (int i = 0; i < pairs; i++) {
                ip("-n", ns, "link", "add", "va" + i, "type", "veth", "peer", "name", "vb" + i);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            lan.close();
            throw e;
        }
        return lan;
    }

    /** The namespace {@link #links(int)} made. */
    String linksNamespace() {
        return name + "-links";
    }

    private void build(int rateMbit, int lossPercent) throws IOException, InterruptedException {
        String bridge = add("br");
        ip("-n", bridge, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        ip("-n", bridge, "link", "set", "br0", "up");
        String server = add("s");
        ip("link", "add", SERVER_LINK, "netns", server, "type", "veth", "peer", "name", "sp", "netns", bridge);
        ip("-n", bridge, "link", "set", "sp", "master", "br0", "up");
        host(server, SERVER_LINK, SERVER_ADDRESS);
        // the server's link is the LAN's limit: tbf on its egress, as a switch port of that rate would be
        run("ip", "netns", "exec", server, "tc", "qdisc", "add", "dev", SERVER_LINK, "root", "tbf", "rate",
                rateMbit + "mbit", "burst", "64kb", "latency", "200ms");
        for (int i = 1; i <= clients; i++) {
            String client = add("c" + i);
            ip("link", "add", CLIENT_LINK, "netns", client, "type", "veth", "peer", "name", "cp" + i, "netns",
                    bridge);
            ip("-n", bridge, "link", "set", "cp" + i, "master", "br0", "up");
            host(client, CLIENT_LINK, clientAddress(i));
            if (lossPercent > 0) {
                run("ip", "netns", "exec", client, "nft", "add", "table", "inet", "unplugloss");
                run("ip", "netns", "exec", client, "nft", "add chain inet unplugloss in { type filter hook input"
                        + " priority 0; }");
                run("ip", "netns", "exec", client, "nft", "add rule inet unplugloss in meta l4proto { udp, tcp }"
                        + " numgen random mod 100 < " + lossPercent + " drop");
            }
        }
        // the bridge's ports forward at once (no STP on a new bridge), but give them a moment to come up
        Thread.sleep(300);
    }

    private void host(String ns, String link, String address) throws IOException, InterruptedException {
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "addr", "add", address + "/24", "dev", link);
        ip("-n", ns, "link", "set", link, "up");
        ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", link);
    }

    private String add(String suffix) throws IOException, InterruptedException {
        String ns = name + "-" + suffix;
        ip("netns", "add", ns);
        namespaces.add(ns);
        return ns;
    }

    static String clientAddress(int i) {
        return "10.77.0." + (10 + i);
    }

    String serverNamespace() {
        return name + "-s";
    }

    String clientNamespace(int i) {
        if (i < 1 || i > clients) {
            throw new IllegalArgumentException("no client " + i + " on a LAN of " + clients);
        }
        return name + "-c" + i;
    }

    int clients() {
        return clients;
    }

    /** Bytes the server's link has sent so far (its transmit counter). */
    long serverBytesSent() throws IOException, InterruptedException {
        String json = run("ip", "-n", serverNamespace(), "-s", "-j", "link", "show", SERVER_LINK);
        Matcher m = TX_BYTES.matcher(json);
        if (!m.find()) {
            throw new IOException("no transmit counter in: " + json);
        }
        return Long.parseLong(m.group(1));
    }

    /** A command in a namespace of this LAN, started with its output to {@code log}. */
    ProcessBuilder in(String namespace, List<String> command) {
        if (!namespaces.contains(namespace)) {
            throw new IllegalArgumentException(namespace + " is not a namespace of this LAN");
        }
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        return new ProcessBuilder(all);
    }

    /** Deletes every namespace of this LAN, with the links in them. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it removes the same namespaces
        }
    }

    private synchronized void removeAll() {
        for (int k = namespaces.size() - 1; k >= 0; k--) {
            try {
                run("ip", "netns", "del", namespaces.get(k));
            } catch (IOException | InterruptedException | RuntimeException ignored) {
                // gone already, or ip failed: the next LAN's leftovers sweep removes it
            }
        }
        namespaces.clear();
    }

    /** Namespaces of LANs whose JVM no longer runs (killed before it could clean up). */
    private static void removeLeftovers() throws IOException, InterruptedException {
        for (String line : run("ip", "netns", "list").split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String pid = ns.substring(PREFIX.length()).split("-")[0];
            boolean alive;
            try {
                alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                continue; // not one of ours
            }
            if (!alive) {
                run("ip", "netns", "del", ns);
            }
        }
    }

    /** Namespaces of this JVM's LANs that exist now: for a test that checks the cleanup. */
    static List<String> ours() throws IOException, InterruptedException {
        List<String> found = new ArrayList<>();
        for (String line : run("ip", "netns", "list").split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (ns.startsWith(PREFIX + ProcessHandle.current().pid() + "-")) {
                found.add(ns);
            }
        }
        return found;
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    static String run(String... command) throws IOException, InterruptedException {
        return Bench.run(30, command);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Lan[%s, %d clients]", name, clients);
    }
}
