package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.link.LinkControl;
import dev.unplug.api.link.LinkStatus;
import dev.unplug.core.PluginHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The demo's netcon step: creates a network namespace of its own with a veth pair, connects one end through the
 * plugin (up and operational), pulls the peer down to show {@code MEDIA_DISCONNECTED} arrive as a kernel event,
 * plugs it back, disconnects gracefully (CLEAN: down, and the kernel says so), drops a second connection to the
 * peer, and removes the namespace whatever happened. Without root it says so in one line and the demo goes on.
 * Not thread-safe: one demo run.
 */
final class NetconDemo {

    private NetconDemo() {
    }

    static DemoRow run(PluginHost host) {
        if (!host.schemes().contains("netcon")) {
            return new DemoRow("netcon", "not available (no netcon plugin in this build)", null, null,
                    DemoRow.Result.NOT_AVAILABLE, null);
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return new DemoRow("netcon", "skipped: network namespaces need root", null, null,
                    DemoRow.Result.SKIPPED, null);
        }
        String ns = "unplug-demo-" + ProcessHandle.current().pid();
        List<Connection> opened = new ArrayList<>();
        try {
            ip("netns", "add", ns);
            ip("-n", ns, "link", "add", "veth-a", "type", "veth", "peer", "name", "veth-b");
            ip("-n", ns, "link", "set", "veth-b", "up");
            Connection a = host.open("netcon://veth-a?netns=" + ns, Options.empty());
            Connection b = host.open("netcon://veth-b?netns=" + ns, Options.empty());
            opened.add(a);
            opened.add(b);
            a.connect();
            b.connect();
            LinkControl link = a.unwrap(LinkControl.class);
            List<LinkStatus> seen = new CopyOnWriteArrayList<>();
            link.addLinkListener((from, to, kernel) -> seen.add(to));
            ip("-n", ns, "link", "set", "veth-b", "down");   // behind the plugin's back: the cable is pulled
            boolean media = await(link, LinkStatus.MEDIA_DISCONNECTED);
            ip("-n", ns, "link", "set", "veth-b", "up");
            boolean back = await(link, LinkStatus.CONNECTED);
            DisconnectOutcome graceful = a.disconnect();
            DisconnectOutcome drop = b.drop();
            boolean expected = media && back && graceful.kind() == DisconnectOutcome.Kind.CLEAN
                    && drop.kind() == DisconnectOutcome.Kind.DROPPED;
            return new DemoRow("netcon", "veth-a up in namespace " + ns + "; peer pulled down: " + (media
                    ? "MEDIA_DISCONNECTED" : "no event") + ", back: " + (back ? "CONNECTED" : "no event")
                    + "; events " + seen, graceful, drop, expected ? DemoRow.Result.OK : DemoRow.Result.UNEXPECTED,
                    graceful.lastReply().orElse(null));
        } catch (UnplugException e) {
            return new DemoRow("netcon", "failed", null, null, DemoRow.Result.FAILED, Errors.line(e));
        } catch (IllegalStateException e) {
            return new DemoRow("netcon", "failed", null, null, DemoRow.Result.FAILED, "error: " + e.getMessage());
        } finally {
            opened.forEach(Connection::close);
            try {
                ip("netns", "del", ns);
            } catch (IllegalStateException alreadyGone) {
                // never created, or removed
            }
        }
    }

    private static boolean await(LinkControl link, LinkStatus status) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (link.status() != status && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return link.status() == status;
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ip (install iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
