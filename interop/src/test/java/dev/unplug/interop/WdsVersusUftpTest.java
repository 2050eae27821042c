package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same 8 MiB file sent by Debian's UFTP (server {@code uftp}, client {@code uftpd}) and by the wds plugin, at
 * the same rate and block size, each to one client, side by side: wall time and bytes on the wire (the transmit
 * counter of {@code lo}). A figure for the benchmarks, not a gate: the test fails only when a transfer does not
 * deliver the file intact.
 *
 * <p>Both run inside a network namespace of their own whose only link is its {@code lo} (multicast on): UFTP refuses
 * TTL 0 (its minimum is 1), and in that namespace no packet, whatever its TTL, has anywhere to go but {@code lo}.
 * One client each: {@code uftpd} binds its port without {@code SO_REUSEADDR}, so only one can run per namespace, and
 * multicast must stay on {@code lo}. wds is also run with four clients, for its own figure. Needs root ({@code ip
 * netns}); skipped with the reason otherwise, failed under {@code CI=true}.
 */
class WdsVersusUftpTest {

    private static final String GROUP = "239.255.78.1";
    private static final int PORT = 10440;
    private static final int SIZE = 8 << 20;
    private static final int BLOCK = 1300;              // UFTP's default block size
    private static final long RATE = 50_000_000;        // bytes per second: 400,000 Kbps for uftp

    @TempDir
    Path work;

    private final String ns = "unplug-wds-" + ProcessHandle.current().pid();
    private final List<Process> started = new ArrayList<>();
    private boolean nsMade;

    @BeforeEach
    void namespaceWithOnlyLo() throws Exception {
        String problem = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            problem = "ip netns needs root";
        } else if (!Files.isExecutable(Path.of("/usr/bin/uftp")) || !Files.isExecutable(Path.of("/usr/bin/uftpd"))) {
            problem = "uftp is not installed: run scripts/servers.sh install";
        }
        if (problem != null) {
            if (Server.inCi()) {
                Assertions.fail(problem);
            }
            Assumptions.abort(problem);
        }
        run(10, "ip", "netns", "add", ns);
        nsMade = true;
        run(10, "ip", "-n", ns, "link", "set", "lo", "up");
        run(10, "ip", "-n", ns, "link", "set", "lo", "multicast", "on");
    }

    @AfterEach
    void removeWhatWasStarted() throws Exception {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (nsMade) {
            run(10, "ip", "netns", "del", ns);
        }
    }

    @Test
    void uftpAndWdsDeliverTheSameFileAndTheirCostsAreRecordedSideBySide() throws Exception {
        Path file = work.resolve("image.bin");
        byte[] bytes = new byte[SIZE];
        new Random(8).nextBytes(bytes);
        Files.write(file, bytes);
        String sha = sha256(file);

        Path uftpOut = Files.createDirectories(work.resolve("uftp"));
        Process client = inNamespace("uftpd", "-d", "-I", "lo", "-M", GROUP, "-p", String.valueOf(PORT), "-U",
                "0x00000001", "-D", uftpOut.toString(), "-x", "1")
                .redirectErrorStream(true).redirectOutput(work.resolve("uftpd.log").toFile()).start();
        started.add(client);
        Thread.sleep(500); // uftpd loads its key and binds; nothing to poll for in its quiet log level
        long tx = txBytes();
        long t0 = System.nanoTime();
        Result uftp = runIn(120, "uftp", "-I", "lo", "-M", GROUP, "-P", "239.255.78.2", "-p", String.valueOf(PORT),
                "-t", "1", "-Y", "none", "-R", String.valueOf(RATE * 8 / 1000), "-b", String.valueOf(BLOCK), "-x",
                "1", "-H", "0x00000001", file.toString());
        long uftpWall = (System.nanoTime() - t0) / 1_000_000;
        long uftpBytes = txBytes() - tx;
        assertThat(uftp.exit).as(uftp.out).isZero();
        assertThat(sha256(uftpOut.resolve("image.bin"))).as("uftp's copy").isEqualTo(sha);

        String cp = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "| uftp 4.10 (Debian) | 1 | %d | %,d | %.2f |", uftpWall, uftpBytes,
                (double) uftpBytes / SIZE));
        for (int clients : new int[] {1, 4}) {
            Path out = Files.createDirectories(work.resolve("wds" + clients));
            tx = txBytes();
            Result wds = runIn(120, java, "-Djava.net.preferIPv4Stack=true", "-cp", cp, WdsRun.class.getName(),
                    file.toString(), out.toString(), String.valueOf(clients), String.valueOf(RATE),
                    String.valueOf(BLOCK));
            long wdsBytes = txBytes() - tx;
            assertThat(wds.exit).as(wds.out).isZero();
            for (int i = 0; i < clients; i++) {
                assertThat(sha256(out.resolve("c" + i).resolve("image.bin"))).as("wds client " + i).isEqualTo(sha);
            }
            long wall = Long.parseLong(wds.out.replaceAll("(?s).*wallMillis=(\\d+).*", "$1"));
            rows.add(String.format(Locale.ROOT, "| unplug wds | %d | %d | %,d | %.2f |", clients, wall, wdsBytes,
                    (double) wdsBytes / SIZE));
        }
        String table = String.join("\n", List.of(
                "8 MiB, block " + BLOCK + " B, rate " + RATE / 1_000_000 + " MB/s, on lo in a namespace of its own",
                "| tool | clients | wall ms (first join to all complete; uftp: whole run) | bytes on lo | copies |",
                "| --- | --- | --- | --- | --- |")) + "\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        Path report = Path.of("target", "wds-vs-uftp.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
    }

    private long txBytes() throws Exception {
        Result r = runIn(10, "cat", "/sys/class/net/lo/statistics/tx_bytes");
        return Long.parseLong(r.out.trim());
    }

    private ProcessBuilder inNamespace(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(command));
        return new ProcessBuilder(all);
    }

    private Result runIn(int seconds, String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(command));
        return run(seconds, all.toArray(String[]::new));
    }

    private record Result(int exit, String out) {
    }

    private static Result run(int seconds, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + seconds + " s");
        }
        Result r = new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        if (command[0].equals("ip") && command.length > 1 && !command[1].equals("netns") && r.exit != 0
                || command.length > 2 && command[1].equals("netns") && !command[2].equals("exec") && r.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + r.out);
        }
        return r;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
