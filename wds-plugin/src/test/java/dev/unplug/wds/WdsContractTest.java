package dev.unplug.wds;

import dev.unplug.api.Options;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.TckPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole TCK against the wds client, through the TCK's peer control: each peer is a real {@link WdsServer} on
 * multicast {@code lo} (TTL 0) offering one content, whose first pass waits 10 min so that no transfer ends under a
 * check; the server is told how to answer a leave (acknowledge, late, never, with a reset) and its control
 * connections are watched for the frames a client sends (the goodbye is the LEAVE frame). A silent peer is a
 * socket that accepts and never welcomes. The wds client declares no COMMANDS (the transfer runs on its own
 * threads), so rules 18 and 19 are reported not applicable; its drop during a transfer is tested in
 * {@link WdsTransferTest}.
 */
class WdsContractTest extends ConnectionContractTest {

    private static Path folder;
    private static Path content;

    @BeforeAll
    static void content() throws IOException {
        folder = Files.createTempDirectory("unplug-wds-tck");
        content = Files.write(folder.resolve("content.bin"), new byte[64 * 1024]);
    }

    @AfterAll
    static void clean() throws IOException {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return WdsProvider.class;
    }

    @Override
    protected URI uri(int port) {
        return URI.create("wds://127.0.0.1:" + port + "/tck/content");
    }

    @Override
    protected Options options() {
        return Options.builder().set("out", folder.toString()).set("name", "tck").build();
    }

    @Override
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        if (behaviour == PeerBehaviour.SILENT) {
            try {
                ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                return TckPeer.external(uri(silent.getLocalPort()), silent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ServerPeer(behaviour);
    }

    /** A real wds server that misbehaves as asked, with its control connections watched. */
    private final class ServerPeer extends TckPeer implements WdsServer.Tap {
        private final WdsServer server;
        private final Map<Integer, List<String>> frames = new ConcurrentHashMap<>();
        private final Map<Integer, Boolean> ended = new ConcurrentHashMap<>();
        private final List<Integer> connections = new CopyOnWriteArrayList<>();

        ServerPeer(PeerBehaviour behaviour) {
            server = WdsServer.builder().startDelay(Duration.ofMinutes(10)).start();
            server.tap(this);
            server.answerLeaves(switch (behaviour) {
                case NEVER_ANSWERS_GOODBYE -> WdsServer.LeaveAnswer.IGNORE;
                case RESETS_ON_GOODBYE -> WdsServer.LeaveAnswer.RESET;
                case SLOW_GOODBYE -> WdsServer.LeaveAnswer.LATE;
                default -> WdsServer.LeaveAnswer.ACKNOWLEDGE;
            });
            server.register("tck");
            server.addContent("tck", "content", content);
        }

        @Override
        public void accepted(int connection) {
            frames.put(connection, new CopyOnWriteArrayList<>());
            connections.add(connection);
        }

        @Override
        public void frame(int connection, byte type) {
            frames.get(connection).add(name(type));
        }

        @Override
        public void ended(int connection) {
            ended.put(connection, true);
        }

        @Override
        public URI uri() {
            return server.uri("tck", "content");
        }

        @Override
        public boolean observes() {
            return true;
        }

        @Override
        public int accepted() {
            return connections.size();
        }

        @Override
        public int goodbyes() {
            return (int) frames.values().stream().flatMap(List::stream).filter(this::isGoodbye).count();
        }

        @Override
        public List<String> messageLog() {
            List<String> first = frames.get(0);
            return first == null ? List.of() : new ArrayList<>(first);
        }

        @Override
        public boolean isGoodbye(String message) {
            return message.equals("LEAVE");
        }

        @Override
        public boolean awaitClosed(Duration timeout) {
            return await(() -> ended.getOrDefault(0, false), timeout);
        }

        @Override
        public void close() {
            server.close();
        }

        private static String name(byte type) {
            return switch (type) {
                case Wire.JOIN -> "JOIN";
                case Wire.NAK -> "NAK";
                case Wire.STATUS -> "STATUS";
                case Wire.LEAVE -> "LEAVE";
                case Wire.FETCH -> "FETCH";
                default -> "frame " + type;
            };
        }
    }
}
