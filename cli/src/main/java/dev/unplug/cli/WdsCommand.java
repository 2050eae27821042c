package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.session.TransferClient;
import dev.unplug.api.session.TransferProgress;
import dev.unplug.api.session.TransferResult;
import dev.unplug.api.session.TransportServer;
import dev.unplug.api.session.TransportSessionClient;
import dev.unplug.core.PluginHost;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code unplug wds serve FILE...} (a multicast transport server, on loopback unless {@code --bind},
 * {@code --interface} and {@code --ttl} say otherwise, until Ctrl-C or {@code --for}) and
 * {@code unplug wds get URI --out DIR} (one client, with a progress bar on a terminal or one line per second
 * otherwise). Exit 0 when serving ended normally or the file arrived complete and verified; 1 when the transfer
 * was aborted or failed; 2 for bad input.
 */
final class WdsCommand {

    static final Args.Spec SERVE = new Args.Spec("wds", Set.of(),
            Set.of("--port", "--namespace", "--rate", "--for", "--block-size", "--bind", "--interface", "--ttl",
                    "--plugins-dir"), Set.of(), 1, 256, "FILE");
    static final Args.Spec GET = new Args.Spec("wds", Set.of(),
            Set.of("--out", "--timeout", "--name", "--plugins-dir", "--option"), Set.of("--option"), 1, 1, "URI");

    private WdsCommand() {
    }

    static int run(List<String> arguments, Console console) {
        if (arguments.isEmpty()) {
            throw new UsageException("wds", "wds needs a subcommand: serve or get");
        }
        List<String> rest = arguments.subList(1, arguments.size());
        return switch (arguments.get(0)) {
            case "serve" -> serve(Args.parse(SERVE, rest), console);
            case "get" -> get(Args.parse(GET, rest), console);
            default -> throw new UsageException("wds", "unknown wds subcommand '" + arguments.get(0)
                    + "': serve or get");
        };
    }

    private static int serve(Args args, Console console) {
        String namespace = args.value("--namespace").orElse("files");
        int port = integer("--port", args.value("--port").orElse("0"), 0, 65_535);
        int block = integer("--block-size", args.value("--block-size").orElse("1400"), 512, 65_000);
        long rate = size("--rate", args.value("--rate").orElse("64m"));
        Duration serveFor = args.value("--for").map(v -> ProbeCommand.duration("wds", "--for", v)).orElse(null);
        List<Path> files = args.positionals().stream().map(WdsCommand::file).toList();
        int ttl = integer("--ttl", args.value("--ttl").orElse("0"), 0, 255);
        String iface = args.value("--interface").orElse("lo");
        Options.Builder settings = Options.builder().set("port", Integer.toString(port))
                .set("blockSize", Integer.toString(block)).set("rate", Long.toString(rate))
                .set("ttl", Integer.toString(ttl)).set("interface", iface);
        args.value("--bind").ifPresent(a -> settings.set("bindAddress", a));
        PluginHost host = Hosts.open("wds", args.value("--plugins-dir"));
        TransportServer server;
        try {
            server = host.extension("wds", TransportServer.Factory.class).start(settings.build());
        } catch (UnplugException e) {
            host.close();
            if (e.kind() == ErrorKind.INVALID_ARGUMENT) {
                throw new UsageException("wds", e);
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "unplug-wds-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.register(namespace);
            for (Path f : files) {
                server.addContent(namespace, f.getFileName().toString(), f);
            }
            console.out("serving " + files.size() + " file(s) on " + server + ", TTL " + ttl + ", interface " + iface
                    + ":");
            for (Path f : files) {
                console.out("  " + server.uri(namespace, f.getFileName().toString()));
            }
            console.out(serveFor == null ? "Ctrl-C to stop" : "for " + serveFor.toMillis() + " ms");
            long until = serveFor == null ? 0 : System.nanoTime() + serveFor.toNanos();
            String last = "";
            while ((serveFor == null || System.nanoTime() - until < 0) && !stopped.await(serveFor == null ? 1000
                    : Math.min(1000, Math.max(1, (until - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                String line = status(server);
                if (!line.equals(last)) {
                    console.out(line);
                    last = line;
                }
            }
            console.out("served: multicast " + server.bytesMulticast() + " bytes (" + server.blocksRepaired()
                    + " blocks repaired), unicast " + server.bytesUnicast() + " bytes (" + server.blocksUnicast()
                    + " blocks)");
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (UnplugException e) {
            if (e.kind() == ErrorKind.INVALID_ARGUMENT) {
                throw new UsageException("wds", e);
            }
            throw e;
        } finally {
            server.close();
            host.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private static String status(TransportServer server) {
        List<TransportSessionClient> clients = server.clients();
        if (clients.isEmpty()) {
            return "no client in a session";
        }
        return clients.size() + " client(s): " + clients.stream().map(c -> c.id() + " " + c.name() + " "
                + c.percentComplete() + " %").collect(Collectors.joining(", "));
    }

    private static int get(Args args, Console console) {
        String rawUri = args.positionals().get(0);
        console.secretsOfUri(rawUri);
        Options options = ProbeCommand.options("wds", args, console);
        Path out = file(args.value("--out").orElse("."), true);
        Duration timeout = ProbeCommand.duration("wds", "--timeout", args.value("--timeout").orElse("10m"));
        Options.Builder extra = Options.builder().set("out", out.toString());
        args.value("--name").ifPresent(n -> extra.set("name", n));
        options = options.with(extra.build());
        try (PluginHost host = Hosts.open("wds", args.value("--plugins-dir"))) {
            Connection connection = Hosts.connection(host, "wds", rawUri, options);
            if (!connection.pluginId().equals("wds")) {
                connection.close();
                throw new UsageException("wds", "wds get needs a wds:// URI, not " + connection.uri());
            }
            TransferClient wds = connection.unwrap(TransferClient.class);
            boolean terminal = System.console() != null;
            long[] lastLine = {0};
            wds.onProgress(p -> {
                if (terminal) {
                    console.overwrite(bar(p));
                } else if (System.nanoTime() - lastLine[0] >= 1_000_000_000L || p.percent() == 100) {
                    lastLine[0] = System.nanoTime();
                    console.out(line(p));
                }
            });
            connection.connect();
            console.out("joined " + connection.uri() + " as client " + wds.clientId());
            TransferResult r;
            try {
                r = wds.awaitResult(timeout);
            } finally {
                if (terminal) {
                    console.out("");
                }
                connection.disconnect();
            }
            if (r.status() == TransferResult.Status.COMPLETE) {
                console.out("complete: " + r.file().orElseThrow() + " (sha256 " + r.sha256() + "): multicast "
                        + r.bytesOverMulticast() + " bytes, unicast " + r.bytesOverUnicast() + " bytes ("
                        + r.blocksOverUnicast() + " blocks)");
                return 0;
            }
            console.err(r.error().map(Errors::line).orElse("error: the transfer ended " + r.status()
                    .name().toLowerCase(Locale.ROOT)));
            return 1;
        }
    }

    static String bar(TransferProgress p) {
        int width = 30;
        int filled = p.percent() * width / 100;
        return String.format(Locale.ROOT, "[%s%s] %3d %% %,d of %,d bytes%s", "#".repeat(filled),
                " ".repeat(width - filled), p.percent(), p.bytesReceived(), p.size(), p.fellBack() ? " (unicast)" : "");
    }

    static String line(TransferProgress p) {
        return String.format(Locale.ROOT, "%3d %% %,d of %,d bytes%s", p.percent(), p.bytesReceived(), p.size(),
                p.fellBack() ? " (unicast)" : "");
    }

    private static Path file(String text) {
        Path p = file(text, false);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UsageException("wds", "'" + text + "' is not a readable file");
        }
        return p;
    }

    private static Path file(String text, boolean directory) {
        Path p;
        try {
            p = Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException("wds", "'" + text + "' is not a valid path");
        }
        if (directory && !Files.isDirectory(p)) {
            throw new UsageException("wds", "--out '" + text + "' is not an existing folder");
        }
        return p;
    }

    private static int integer(String option, String text, int min, int max) {
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException("wds", option + " must be a whole number from " + min + " to " + max + ", not '"
                + text + "'");
    }

    private static long size(String option, String text) {
        try {
            return Options.of(Map.of("v", text)).size("v", 1);
        } catch (UnplugException e) {
            throw new UsageException("wds", option + " must be a size such as 64m or 512k, not '" + text + "'");
        }
    }
}
