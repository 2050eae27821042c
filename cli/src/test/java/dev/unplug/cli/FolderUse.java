package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.api.link.LinkControl;
import dev.unplug.api.mail.ImapSession;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.api.mail.SmtpSession;
import dev.unplug.api.session.TransferClient;
import dev.unplug.api.session.TransportServer;
import dev.unplug.core.PluginHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A small application for {@link PluginsFolderIT}, run in a child JVM: it uses each plugin only through api types
 * (its session or control reached by {@code unwrap}, the wds server by {@code host.extension}), from a plugins
 * folder ({@code args[0]}) or from its class path ({@code -}), and prints one line per plugin
 * ({@code plugin result outcome loader}) and the number of records logged at WARNING or above.
 */
public final class FolderUse {

    private FolderUse() {
    }

    /**
     * Runs each scenario.
     *
     * @param args the plugins folder or {@code -}, then scenarios {@code name=argument}
     */
    public static void main(String[] args) throws Exception {
        List<String> warnings = new ArrayList<>();
        Logger root = Logger.getLogger("");
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r.getLoggerName() + ": " + r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        PluginHost.Builder builder = PluginHost.builder();
        if (!args[0].equals("-")) {
            builder.pluginDirectory(Path.of(args[0]));
        }
        try (PluginHost host = builder.build()) {
            for (int i = 1; i < args.length; i++) {
                String[] scenario = args[i].split("=", 2);
                String line;
                try {
                    line = run(host, scenario[0], scenario.length > 1 ? scenario[1] : "");
                } catch (RuntimeException e) {
                    line = scenario[0] + " error " + e;
                }
                System.out.println(line);
            }
        }
        warnings.forEach(w -> System.err.println("WARNING " + w));
        System.out.println("warnings " + warnings.size());
    }

    private static String run(PluginHost host, String plugin, String argument) throws Exception {
        if (plugin.equals("wds")) {
            return wds(host);
        }
        Connection c = host.open(argument, Options.empty());
        c.connect();
        String result = switch (plugin) {
            case "smtp" -> "noop:" + c.unwrap(SmtpSession.class).noop().substring(0, 3);
            case "pop3" -> "stat:" + c.unwrap(Pop3Session.class).stat().messages();
            case "imap" -> "select:" + c.unwrap(ImapSession.class).select("INBOX");
            case "nntp" -> "group:" + c.unwrap(NntpSession.class).group("local.test").count();
            case "capture" -> capture(c.unwrap(CaptureControl.class));
            case "netcon" -> "link:" + c.unwrap(LinkControl.class).status();
            default -> throw new IllegalArgumentException("no scenario " + plugin);
        };
        DisconnectOutcome o = c.disconnect(Duration.ofSeconds(5));
        return plugin + " " + result + " " + o.kind() + " " + loader(c);
    }

    private static String capture(CaptureControl control) throws InterruptedException {
        control.start();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (control.statistics().framesWritten() < 3 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        control.stop();
        return "frames:" + control.statistics().framesWritten();
    }

    private static String wds(PluginHost host) throws Exception {
        Path dir = Files.createTempDirectory("unplug-folder-wds");
        Path file = Files.write(dir.resolve("content.bin"), new byte[256 << 10]);
        try (TransportServer server = host.extension("wds", TransportServer.Factory.class)
                .start(Options.builder().set("startDelay", "10ms").build())) {
            server.register("ns");
            server.addContent("ns", "content.bin", file);
            Path out = Files.createDirectories(dir.resolve("out"));
            Connection c = host.open(server.uri("ns", "content.bin"), Options.builder().set("out", out.toString())
                    .build());
            c.connect();
            String status = c.unwrap(TransferClient.class).awaitResult(Duration.ofSeconds(30)).status().name();
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(5));
            return "wds transfer:" + status + " " + o.kind() + " " + loader(c);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String loader(Connection c) {
        return c.getClass().getClassLoader() == FolderUse.class.getClassLoader() ? "classpath" : "folder";
    }
}
