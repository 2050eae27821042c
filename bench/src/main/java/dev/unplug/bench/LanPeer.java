package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.api.session.TransferClient;
import dev.unplug.api.session.TransferResult;
import dev.unplug.api.session.TransportServer;
import dev.unplug.core.PluginHost;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One host of the simulated LAN figure, run in its namespace by {@link LanFigure} ({@code ip netns exec NS java ...
 * LanPeer MODE ...}), speaking to it by lines on stdin and stdout:
 * <ul>
 * <li>{@code wds-serve FILE RATE BLOCK}: a wds server bound to the server's address, multicast out of its link with
 * TTL 1; prints {@code uri URI}; on {@code stop} prints {@code stats MULTICAST_BYTES UNICAST_BYTES REPAIRED
 * FALLEN_BACK} and ends.</li>
 * <li>{@code wds-hold FILE}: a wds server on {@code lo} (TTL 0) offering the file with a first pass 10 min away;
 * prints {@code uri URI}; ends on {@code stop}. {@link AbortFigure} stops this process (SIGSTOP) to play a server
 * that hangs.</li>
 * <li>{@code wds-get URI DIR}: prints {@code ready}; on {@code go} joins through its link and prints {@code done
 * STATUS NANOS UNICAST_BLOCKS CPU_NANOS FILE} once the file is complete (NANOS from {@code go}; CPU_NANOS the
 * CPU time the process used from {@code go} to then, all threads: the receive path, JIT and GC).</li>
 * <li>{@code tcp-serve FILE PORT N}: prints {@code ready}, accepts N clients and sends each the file at once
 * ({@code transferTo}), prints {@code done}.</li>
 * <li>{@code tcp-get HOST PORT FILE}: prints {@code ready}; on {@code go} receives the file, prints {@code done OK
 * NANOS 0 CPU_NANOS FILE}.</li>
 * </ul>
 * Any failure prints {@code failed REASON} and exits 1. Ends when its stdin closes.
 */
public final class LanPeer {

    private LanPeer() {
    }

    public static void main(String[] args) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            switch (args[0]) {
                case "wds-serve" -> wdsServe(in, Path.of(args[1]), args[2], args[3]);
                case "wds-hold" -> wdsHold(in, Path.of(args[1]));
                case "wds-get" -> wdsGet(in, args[1], Path.of(args[2]));
                case "tcp-serve" -> tcpServe(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "tcp-get" -> tcpGet(in, args[1], Integer.parseInt(args[2]), Path.of(args[3]));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Exception | Error e) {
            say("failed " + String.valueOf(e).replace('\n', ' '));
            System.exit(1);
        }
        System.exit(0);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** CPU time this process has used so far (all its threads, user and system), for the figure's receiver cost. */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    private static void await(BufferedReader in, String word) throws Exception {
        for (String line; (line = in.readLine()) != null;) {
            if (line.strip().equals(word)) {
                return;
            }
        }
        throw new IllegalStateException("stdin closed before '" + word + "'");
    }

    private static void wdsServe(BufferedReader in, Path file, String rate, String block) throws Exception {
        try (PluginHost host = PluginHost.fromClassPath();
                TransportServer server = host.extension("wds", TransportServer.Factory.class).start(Options.builder()
                        .set("bindAddress", Lan.SERVER_ADDRESS).set("interface", Lan.SERVER_LINK).set("ttl", "1")
                        .set("rate", rate).set("blockSize", block).set("startDelay", "150ms").build())) {
            server.register("lan");
            server.addContent("lan", file.getFileName().toString(), file);
            say("uri " + server.uri("lan", file.getFileName().toString()));
            await(in, "stop");
            say("stats " + server.bytesMulticast() + " " + server.bytesUnicast() + " " + server.blocksRepaired() + " "
                    + server.slowClientsFallenBack());
        }
    }

    /** A wds server on lo whose first pass waits 10 min, so that clients stay joined until they leave. */
    private static void wdsHold(BufferedReader in, Path file) throws Exception {
        try (PluginHost host = PluginHost.fromClassPath();
                TransportServer server = host.extension("wds", TransportServer.Factory.class).start(Options.builder()
                        .set("startDelay", "10m").build())) {
            server.register("hold");
            server.addContent("hold", file.getFileName().toString(), file);
            say("uri " + server.uri("hold", file.getFileName().toString()));
            await(in, "stop");
        }
    }

    private static void wdsGet(BufferedReader in, String uri, Path dir) throws Exception {
        Files.createDirectories(dir);
        try (PluginHost host = PluginHost.fromClassPath();
                Connection c = host.open(uri, Options.builder().set("out", dir.toString())
                        .set("interface", Lan.CLIENT_LINK).set("name", dir.getFileName().toString()).build())) {
            TransferClient client = c.unwrap(TransferClient.class);
            say("ready");
            await(in, "go");
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            c.connect();
            TransferResult r = client.awaitResult(Duration.ofMinutes(10));
            long took = System.nanoTime() - t0;
            say("done " + r.status() + " " + took + " " + r.blocksOverUnicast() + " " + (cpuNanos() - cpu0) + " "
                    + r.file().map(Path::toString).orElse("-"));
        }
    }

    private static void tcpServe(Path file, int port, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(Lan.SERVER_ADDRESS), port), clients);
            say("ready");
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Socket s = server.accept();
                sent.add(pool.submit(() -> {
                    try (s; FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                            var to = Channels.newChannel(s.getOutputStream())) {
                        for (long pos = 0; pos < ch.size();) {
                            pos += ch.transferTo(pos, ch.size() - pos, to);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(10, TimeUnit.MINUTES);
            }
            say("done");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void tcpGet(BufferedReader in, String host, int port, Path file) throws Exception {
        say("ready");
        await(in, "go");
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        try (Socket s = new Socket(host, port); InputStream from = s.getInputStream();
                OutputStream to = Files.newOutputStream(file)) {
            from.transferTo(to);
        }
        say("done OK " + (System.nanoTime() - t0) + " 0 " + (cpuNanos() - cpu0) + " " + file);
    }
}
