package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension rule, proven: a small application ({@link FolderUse}) uses each of the seven plugins that need no
 * server of their own (postgresql's, mqtt's and websocket's folder runs are the interop suite's, against a real
 * PostgreSQL, Mosquitto and websocketd) only through
 * api types, once with the plugins' self-contained jars in a plugins folder and nothing of theirs on its class path,
 * once with the plugins on its class path. Both runs must give the same results (each extension answering, each
 * graceful disconnect CLEAN), the first from the folder's class loaders, and neither may log a WARNING. Netcon
 * needs root for its namespace (CI is root; elsewhere it is left out, and said so).
 */
class PluginsFolderIT {

    private static final String NETNS = "unplug-cli-" + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void everyPluginWorksThroughItsApiExtensionFromAPluginsFolderAsFromTheClassPath() throws Exception {
        Path folder = Path.of(System.getProperty("unplug.plugins.folder", "target/plugins-folder"));
        try (Stream<Path> jars = Files.list(folder)) {
            assertThat(jars.map(p -> p.getFileName().toString())).as("plugin jars in %s", folder).hasSize(10);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("netcon's namespace needs root, and CI runs as root");
        }
        Path pcap = pcap(dir.resolve("three.pcap"), 3);
        try (LoopbackPeer smtp = LoopbackPeer.scripted(LineScript.smtp().build());
                LoopbackPeer pop3 = LoopbackPeer.scripted(LineScript.pop3().build());
                LoopbackPeer imap = LoopbackPeer.scripted(LineScript.imap()
                        .on(LineScript.tagged("SELECT"), "* 3 EXISTS", "{tag} OK [READ-WRITE] SELECT completed")
                        .build());
                LoopbackPeer nntp = LoopbackPeer.scripted(LineScript.nntp()
                        .on(LineScript.command("GROUP"), "211 3 1 3 local.test").build())) {
            List<String> scenarios = new ArrayList<>(List.of("smtp=" + smtp.uri("smtp"),
                    "pop3=" + pop3.uri("pop3", "alice:secret"), "imap=" + imap.uri("imap", "alice:secret"),
                    "nntp=" + nntp.uri("nntp"), "wds",
                    "capture=capture://offline?file=" + pcap + "&dir=" + dir));
            if (root) {
                ip("netns", "add", NETNS);
                ip("-n", NETNS, "link", "add", "va", "type", "veth", "peer", "name", "vb");
                ip("-n", NETNS, "link", "set", "vb", "up");
                scenarios.add("netcon=netcon://va?netns=" + NETNS);
            }
            try {
                List<String> fromFolder = run(thinClassPath(), folder.toString(), scenarios);
                List<String> fromClassPath = run(System.getProperty("java.class.path"), "-", scenarios);
                List<String> expected = new ArrayList<>(List.of("smtp noop:250 CLEAN", "pop3 stat:0 CLEAN",
                        "imap select:3 CLEAN", "nntp group:3 CLEAN", "wds transfer:COMPLETE CLEAN",
                        "capture frames:3 CLEAN"));
                if (root) {
                    expected.add("netcon link:CONNECTED CLEAN");
                }
                assertThat(fromFolder).as("results from the plugins folder").containsExactlyElementsOf(
                        expected.stream().map(e -> e + " folder").toList());
                assertThat(fromClassPath).as("results from the class path").containsExactlyElementsOf(
                        expected.stream().map(e -> e + " classpath").toList());
            } finally {
                if (root) {
                    ip("netns", "del", NETNS);
                }
            }
        }
    }

    @Test
    void everyPluginInTheFolderReportsTheProjectsVersionFromItsJar() throws Exception {
        String folder = System.getProperty("unplug.plugins.folder", "target/plugins-folder");
        UnplugJar.Result r = UnplugJar.runWith(List.of("-cp", thinClassPath(), Main.class.getName()),
                "plugins", "--plugins-dir", folder);
        assertThat(r.exit()).as("%s", r).isZero();
        List<String> rows = r.out().lines().skip(1).filter(l -> !l.isBlank()).toList();
        assertThat(rows).as("one row per plugin jar: %s", r.out()).hasSize(10).allSatisfy(row ->
                assertThat(row.split(" +")[1]).as(row).isEqualTo(System.getProperty("unplug.version")));
    }

    private static List<String> run(String classPath, String folder, List<String> scenarios) {
        List<String> launch = new ArrayList<>(List.of("-cp", classPath, FolderUse.class.getName(), folder));
        launch.addAll(scenarios);
        UnplugJar.Result r = UnplugJar.runWith(launch);
        assertThat(r.exit()).as("%s", r).isZero();
        List<String> lines = new ArrayList<>(r.out().lines().toList());
        assertThat(lines).as("the application's report; its errors: %s", r.err()).last().isEqualTo("warnings 0");
        return lines.subList(0, lines.size() - 1);
    }

    /** The api, the core, the command's own jar and this module's test classes: no plugin, no Commons Net. */
    private static String thinClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(System.getProperty("unplug.thin.jar"));
        try (Stream<Path> lib = Files.list(Path.of(System.getProperty("unplug.thin.lib", "target/thin-lib")))) {
            lib.map(Path::toString).forEach(entries::add);
        }
        entries.add(Path.of("target/test-classes").toAbsolutePath().toString());
        assertThat(entries).as("thin class path").noneMatch(e -> e == null || e.contains("commons-net")
                || e.contains("jna") || e.contains("-plugin"));
        return String.join(File.pathSeparator, entries);
    }

    /** A pcap file of {@code n} 60-byte Ethernet frames. */
    private static Path pcap(Path file, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + n * (16 + 60)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65_535).putInt(1);
        for (int i = 0; i < n; i++) {
            b.putInt(1_700_000_000 + i).putInt(0).putInt(60).putInt(60);
            byte[] frame = new byte[60];
            frame[12] = 0x08; // IPv4 ethertype; the rest zero
            frame[59] = (byte) i;
            b.put(frame);
        }
        return Files.write(file, b.array());
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
