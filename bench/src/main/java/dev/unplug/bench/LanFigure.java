package dev.unplug.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * wds where multicast is meant to run: one file from a server whose link is the limit (100 Mbit/s by tbf) to N
 * clients on a simulated LAN ({@link Lan}: a namespace per host, a bridge, random loss per client by nftables),
 * beside N unicast TCP transfers and Debian's UFTP (one {@code uftpd} per client namespace) on the same LAN. Each
 * host is its own process in its own namespace (wds and TCP: a JVM running {@link LanPeer}); every copy is checked
 * against the source's SHA-256 after the clock stops.
 */
final class LanFigure implements Figure {

    static final int RATE_MBIT = 100;
    private static final int BLOCK = 1400;

    /** One sender's run: what the figure reports. */
    record Run(String sender, int clients, int loss, long wallNanos, long linkBytes, long fileSize, long spreadNanos,
            long repairs, long fallenBack, int intact, long meanCpuNanos) {

        double copies() {
            return (double) linkBytes / fileSize;
        }
    }

    @Override
    public String name() {
        return "lan";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int size = quick ? 1 << 20 : 8 << 20;
        List<int[]> grid = grid(System.getProperty("unplug.bench.lan.grid", quick ? "4x0,4x2"
                : "4x0,4x2,4x10,16x0,16x2,16x10,48x0,48x2,48x10"));
        double oneCopy = size * 8.0 / (RATE_MBIT * 1e6);
        Result r = new Result(name(), "wds on a simulated LAN: one file to N clients behind a 100 Mbit/s link",
                "N unicast TCP transfers on the same LAN; Debian's UFTP 4.10, one uftpd per client namespace",
                "wds wall <= 1.3x one copy at 0-2 % loss; server bytes <= 1.15x the file at 2 %, <= 1.35x at 10 %;"
                        + " every copy intact");
        r.settings = Stats.f("%d MiB; server link %d Mbit/s (tbf, burst 64 KiB); loss per client on input (nftables);"
                + " wds rate 90 %% of the link, block %d B, TTL 1; uftp -R at 90 %% of the link, block 1300 B;"
                + " one copy at the link rate = %.3f s", size >> 20, RATE_MBIT, BLOCK, oneCopy);
        r.header("clients", "loss", "sender", "wall (go to every client complete)", "x one copy",
                "bytes on the server's link", "copies", "completion spread", "repair blocks", "fallen back", "intact",
                "receiver CPU during the transfer (mean per client)");
        String problem = Lan.problem();
        if (problem == null && !Files.isExecutable(Path.of("/usr/bin/uftp"))) {
            problem = "uftp is not installed (scripts/servers.sh install installs it)";
        }
        if (problem != null) {
            r.note("not run: " + problem);
            r.verdict = Result.Verdict.NOT_RUN;
            return r;
        }
        Path work = Files.createTempDirectory("unplug-bench-lan");
        boolean ok = true;
        List<Run> all = new ArrayList<>();
        try {
            Path file = Bench.randomFile(work.resolve("image.bin"), size, 23);
            String sha = Bench.sha256(file);
            for (int[] point : grid) {
                int n = point[0];
                int loss = point[1];
                {
                    List<Run> runs = new ArrayList<>();
                    try (Lan lan = Lan.up(n, RATE_MBIT, loss)) {
                        runs.add(wds(lan, file, sha, loss, work.resolve("wds-" + n + "-" + loss)));
                        runs.add(tcp(lan, file, sha, loss, work.resolve("tcp-" + n + "-" + loss)));
                        runs.add(uftp(lan, file, sha, loss, work.resolve("uftp-" + n + "-" + loss)));
                    }
                    for (Run run : runs) {
                        r.row(String.valueOf(n), loss + " %", run.sender(), Stats.ms(run.wallNanos()),
                                Stats.f("%.2f", run.wallNanos() / 1e9 / oneCopy), Stats.f("%,d", run.linkBytes()),
                                Stats.f("%.2f", run.copies()),
                                run.spreadNanos() < 0 ? "-" : Stats.ms(run.spreadNanos()),
                                run.repairs() < 0 ? "?" : Stats.f("%,d", run.repairs()),
                                run.fallenBack() < 0 ? "-" : String.valueOf(run.fallenBack()),
                                run.intact() + "/" + n, Stats.ms(run.meanCpuNanos()));
                    }
                    all.addAll(runs);
                    Run wds = runs.get(0);
                    boolean intact = runs.stream().allMatch(x -> x.intact() == n);
                    boolean wall = loss > 2 || wds.wallNanos() / 1e9 <= 1.3 * oneCopy;
                    boolean bytes = loss == 0 || wds.copies() <= (loss <= 2 ? 1.15 : 1.35);
                    ok &= intact && wall && bytes;
                }
            }
        } finally {
            Bench.deleteTree(work);
        }
        chart(r, all, oneCopy);
        r.note("UFTP's bytes include its announcements and status traffic; so do wds's (its control connections"
                + " cross the same link). 'x one copy' divides the wall time by the time one copy of the file takes"
                + " at the link's rate.");
        return r.judge(ok);
    }

    /** Wall time and copies against the number of clients, a line per sender, a chart per loss. */
    private static void chart(Result r, List<Run> runs, double oneCopy) {
        java.util.Map<Integer, java.util.Map<String, List<Run>>> byLoss = new java.util.TreeMap<>();
        for (Run run : runs) {
            String sender = run.sender().replaceAll(" \\(exit \\d+\\)", "");
            byLoss.computeIfAbsent(run.loss(), l -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent(sender, s -> new ArrayList<>()).add(run);
        }
        byLoss.forEach((loss, senders) -> senders.forEach((sender, list) -> {
            double[] n = list.stream().mapToDouble(Run::clients).toArray();
            r.curve(Stats.f("LAN, %d %% loss: wall time / one copy", loss), "clients",
                    "wall time / one copy at the link rate", sender, n,
                    list.stream().mapToDouble(x -> x.wallNanos() / 1e9 / oneCopy).toArray());
            r.curve(Stats.f("LAN, %d %% loss: copies on the server's link", loss), "clients", "copies of the file",
                    sender, n, list.stream().mapToDouble(Run::copies).toArray());
        }));
    }

    /** {@code "16x2,48x0"}: clients x loss %, the points to run (system property unplug.bench.lan.grid). */
    static List<int[]> grid(String spec) {
        List<int[]> points = new ArrayList<>();
        for (String p : spec.split(",")) {
            String[] nl = p.strip().split("x");
            points.add(new int[] {Integer.parseInt(nl[0]), Integer.parseInt(nl[1])});
        }
        return points;
    }

    // ------------------------------------------------------------------ the three senders

    static Run wds(Lan lan, Path file, String sha, int loss, Path work) throws Exception {
        Files.createDirectories(work);
        long rate = RATE_MBIT * 1_000_000L / 8 * 9 / 10;
        List<Child> clients = new ArrayList<>();
        try (Child server = Child.start(lan.in(lan.serverNamespace(), java("wds-serve", file.toString(),
                Long.toString(rate), Integer.toString(BLOCK))), work.resolve("server.log"))) {
            String uri = server.expect("uri ", Duration.ofSeconds(60));
            for (int i = 1; i <= lan.clients(); i++) {
                clients.add(Child.start(lan.in(lan.clientNamespace(i), java("wds-get", uri,
                        work.resolve("c" + i).toString())), work.resolve("c" + i + ".log")));
            }
            Run run = race("Unplug wds (multicast, parity repair)", lan, loss, clients, file, sha);
            server.send("stop");
            String[] stats = server.expect("stats ", Duration.ofSeconds(30)).split(" ");
            return new Run(run.sender(), run.clients(), loss, run.wallNanos(), run.linkBytes(), run.fileSize(),
                    run.spreadNanos(), Long.parseLong(stats[2]), Long.parseLong(stats[3]), run.intact(),
                    run.meanCpuNanos());
        } finally {
            clients.forEach(Child::close);
        }
    }

    static Run tcp(Lan lan, Path file, String sha, int loss, Path work) throws Exception {
        Files.createDirectories(work);
        int port = 5001;
        List<Child> clients = new ArrayList<>();
        try (Child server = Child.start(lan.in(lan.serverNamespace(), java("tcp-serve", file.toString(),
                Integer.toString(port), Integer.toString(lan.clients()))), work.resolve("server.log"))) {
            server.expect("ready", Duration.ofSeconds(60));
            for (int i = 1; i <= lan.clients(); i++) {
                Path to = work.resolve("c" + i + ".bin");
                clients.add(Child.start(lan.in(lan.clientNamespace(i), java("tcp-get", Lan.SERVER_ADDRESS,
                        Integer.toString(port), to.toString())), work.resolve("c" + i + ".log")));
            }
            Run run = race("N unicast TCP transfers", lan, loss, clients, file, sha);
            server.expect("done", Duration.ofSeconds(30));
            return new Run(run.sender(), run.clients(), loss, run.wallNanos(), run.linkBytes(), run.fileSize(),
                    run.spreadNanos(), -1, -1, run.intact(), run.meanCpuNanos());
        } finally {
            clients.forEach(Child::close);
        }
    }

    /** Waits for every client's {@code ready}, says {@code go} to all, and times them to their last {@code done}. */
    private static Run race(String sender, Lan lan, int loss, List<Child> clients, Path file, String sha)
            throws Exception {
        for (Child c : clients) {
            c.expect("ready", Duration.ofSeconds(180));
        }
        long before = lan.serverBytesSent();
        long t0 = System.nanoTime();
        for (Child c : clients) {
            c.send("go");
        }
        long first = Long.MAX_VALUE;
        long last = 0;
        List<Path> copies = new ArrayList<>();
        long cpu = 0;
        for (Child c : clients) {
            // STATUS NANOS BLOCKS CPU FILE
            String[] done = c.expect("done ", Duration.ofMinutes(10)).split(" ", 5);
            long at = System.nanoTime() - t0;
            first = Math.min(first, at);
            last = Math.max(last, at);
            cpu += Long.parseLong(done[3]);
            if (done[0].equals("COMPLETE") || done[0].equals("OK")) {
                copies.add(Path.of(done[4]));
            }
        }
        long bytes = lan.serverBytesSent() - before;
        int intact = 0;
        for (Path copy : copies) {
            intact += sha.equals(Bench.sha256(copy)) ? 1 : 0;
        }
        return new Run(sender, clients.size(), loss, last, bytes, Files.size(file), last - first, -1, -1, intact,
                cpu / clients.size());
    }

    static Run uftp(Lan lan, Path file, String sha, int loss, Path work) throws Exception {
        Files.createDirectories(work);
        List<Child> daemons = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 1; i <= lan.clients(); i++) {
                String id = String.format("0x%08x", i);
                ids.add(id);
                Path dir = Files.createDirectories(work.resolve("r" + i));
                daemons.add(Child.start(lan.in(lan.clientNamespace(i), List.of("uftpd", "-d", "-I", Lan.CLIENT_LINK,
                        "-M", "239.255.77.1", "-p", "1044", "-U", id, "-D", dir.toString(), "-x", "1")),
                        work.resolve("uftpd" + i + ".log")));
            }
            Thread.sleep(1000); // uftpd prints nothing at its quiet level to wait for; it binds within a second
            long kbps = RATE_MBIT * 1000L * 9 / 10;
            long cpuBefore = 0;
            for (Child d : daemons) {
                cpuBefore += d.cpuNanos();
            }
            long before = lan.serverBytesSent();
            long t0 = System.nanoTime();
            Process p = lan.in(lan.serverNamespace(), List.of("uftp", "-I", Lan.SERVER_LINK, "-M", "239.255.77.1",
                    "-P", "239.255.77.2", "-p", "1044", "-t", "1", "-Y", "none", "-R", Long.toString(kbps), "-b",
                    "1300", "-x", "1", "-H", String.join(",", ids), file.toString()))
                    .redirectErrorStream(true).redirectOutput(work.resolve("uftp.log").toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("uftp did not end within 10 minutes");
            }
            long wall = System.nanoTime() - t0;
            long bytes = lan.serverBytesSent() - before;
            long cpu = -cpuBefore;
            for (Child d : daemons) {
                cpu += d.cpuNanos();
            }
            int intact = 0;
            for (int i = 1; i <= lan.clients(); i++) {
                Path copy = work.resolve("r" + i).resolve(file.getFileName());
                intact += Files.isRegularFile(copy) && sha.equals(Bench.sha256(copy)) ? 1 : 0;
            }
            return new Run("Debian UFTP 4.10 (exit " + p.exitValue() + ")", lan.clients(), loss, wall, bytes,
                    Files.size(file), -1, -1, -1, intact, cpu / lan.clients());
        } finally {
            daemons.forEach(Child::close);
        }
    }

    /** The command that runs a {@link LanPeer} in a small child JVM. */
    static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:+UseSerialGC", "-Xshare:auto"));
        // for a look inside the hosts (a profiler, a recording): -Dunplug.bench.lan.jvm="-XX:StartFlightRecording=..."
        String extra = System.getProperty("unplug.bench.lan.jvm", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LanPeer.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** A process this figure started: its stdout as lines, its stdin for orders, ended by pid on close. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final OutputStream stdin;

        private Child(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null;) {
                        lines.add(l);
                    }
                } catch (IOException ended) {
                    // the process ended
                }
                lines.add("\u0000eof");
            }, "unplug-bench-lan-child");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(ProcessBuilder builder, Path errors) throws IOException {
            return new Child(builder.redirectError(errors.toFile()).start());
        }

        /** The rest of the first line starting with {@code prefix}; a line {@code failed ...} fails at once. */
        String expect(String prefix, Duration timeout) throws Exception {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals("\u0000eof") || line.startsWith("failed")) {
                    throw new IllegalStateException("expected '" + prefix.strip() + "' from " + process.info()
                            .commandLine().orElse("a child") + ", got " + (line == null ? "nothing within " + timeout
                            : line.equals("\u0000eof") ? "its end" : line));
                }
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
        }

        /** The CPU time the process has used (user and system), from /proc: for a process that is not a JVM. */
        long cpuNanos() throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        }

        /** Sends the process a signal ({@code STOP}, {@code CONT}) by its pid: it is a process this figure started. */
        void signal(String name) throws IOException, InterruptedException {
            Bench.run(10, "kill", "-" + name, Long.toString(process.pid()));
        }

        void send(String line) {
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // it may have ended
            }
            // ip netns exec runs the command in place (exec), so the pid is the command's own
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
