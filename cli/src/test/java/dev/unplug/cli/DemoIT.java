package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.testkit.ProcessResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code unplug demo} from the fat jar: every protocol does real work and ends as expected. */
class DemoIT {

    @Test
    void demoRunsEveryProtocolAndEveryDisconnectBehavesAsExpected() {
        UnplugJar.Result r = UnplugJar.run("demo");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        r.out().lines().forEach(l -> assertThat(l.length()).as("width of: %s", l).isLessThanOrEqualTo(120));
        String out = unwrapped(r.out());
        List<String> lines = out.lines().toList();
        for (String protocol : List.of("SMTP", "IMAP", "POP3", "NNTP")) {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith(protocol + " ")
                    .containsPattern("CLEAN \\d+\\.\\d ms").containsPattern("DROPPED \\d+\\.\\d ms")
                    .endsWith("ok"));
        }
        assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("HOSTILE ")
                .contains("never answers QUIT").containsPattern("ESCALATED \\d+\\.\\d ms").endsWith("ok"));
        assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("wds ")
                .contains("4 MiB to 4 clients by multicast on lo: 1 fell back, 1 aborted")
                .containsPattern("CLEAN \\d+\\.\\d ms").containsPattern("DROPPED \\d+\\.\\d ms").endsWith("ok"));
        assertThat(lines.stream().filter(l -> l.startsWith("wds       client ")).toList()).as(r.toString())
                .hasSize(4).filteredOn(l -> l.contains("COMPLETE") && l.contains("= source")).hasSize(3);
        assertThat(out).containsPattern("client fallback COMPLETE .*unicast .* \\((\\d+) blocks, exactly the \\1 it"
                + " lacked\\)").containsPattern("client abort +ABORTED .* no file left: true");
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("netcon ")
                    .contains("peer pulled down: MEDIA_DISCONNECTED, back: CONNECTED")
                    .containsPattern("CLEAN \\d+\\.\\d ms").containsPattern("DROPPED \\d+\\.\\d ms").endsWith("ok"));
        } else {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("netcon ")
                    .contains("skipped: network namespaces need root"));
        }
        if (canCapture()) {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("capture ")
                    .containsPattern("\\d+ frames of the SMTP demo on lo in .*\\.pcap")
                    .contains("SMTP commands seen: EHLO", "MAIL", "RCPT", "DATA", "QUIT")
                    .contains("disconnect while capturing refused (CAPTURING)")
                    .containsPattern("CLEAN \\d+\\.\\d ms").containsPattern("DROPPED \\d+\\.\\d ms").endsWith("ok"));
        } else {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("capture ")
                    .contains("skipped: no permission to capture on lo: capture needs root or CAP_NET_RAW"));
        }
        if (Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/postgres"))) {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("PostgreSQL ")
                    .contains("SELECT 1 = 1; drop under pg_sleep(30): the query thread released with SQLSTATE 08006")
                    .containsPattern("CLEAN \\d+\\.\\d ms").containsPattern("DROPPED \\d+\\.\\d ms")
                    .endsWith("ok"));
        } else {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("PostgreSQL ")
                    .contains("skipped: PostgreSQL 15 is not installed"));
        }
        if (Files.isExecutable(Path.of("/usr/sbin/mosquitto"))) {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("MQTT ")
                    .contains("published 1 message (QoS 1); Will after graceful: none; Will after drop: seen by a"
                            + " subscriber").containsPattern("CLEAN \\d+\\.\\d ms")
                    .containsPattern("DROPPED \\d+\\.\\d ms").endsWith("ok"));
        } else {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("MQTT ")
                    .contains("skipped: mosquitto is not installed"));
        }
        if (Files.isExecutable(Path.of("/usr/bin/websocketd"))) {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("WebSocket ")
                    .contains("sent \"hello\", echo: \"hello\"").containsPattern("CLEAN \\d+\\.\\d ms")
                    .containsPattern("DROPPED \\d+\\.\\d ms").endsWith("ok"));
        } else {
            assertThat(lines).as(r.toString()).anySatisfy(l -> assertThat(l).startsWith("WebSocket ")
                    .contains("skipped: websocketd is not installed"));
        }
        assertThat(out).contains("sent 1 message", "selected INBOX", "deleted it", "QUIT committed the deletion",
                "posted #1 to local.test", "server saw QUIT", "server saw no QUIT on the drop")
                .contains("11 of 11 behaved as expected.").doesNotContain("not available yet").doesNotContain(MailServers.PASSWORD);
    }

    /**
     * The report with each wrapped table row and footnote put back on one line: a table row's continuation lines
     * (they start with blanks) give each column its rest, cut at the header's column starts; a footnote's continue
     * its text.
     */
    static String unwrapped(String report) {
        List<String> in = report.lines().toList();
        List<String> out = new java.util.ArrayList<>();
        int header = -1;
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i).startsWith("PROTOCOL ")) {
                header = i;
                break;
            }
        }
        assertThat(header).as("a table in: %s", report).isNotNegative();
        String h = in.get(header);
        int[] starts = {0, h.indexOf("WORK DONE"), h.indexOf("GRACEFUL"), h.indexOf("DROP ("), h.indexOf("RESULT")};
        out.addAll(in.subList(0, header + 1));
        List<StringBuilder> row = null;
        int i = header + 1;
        for (; i < in.size() && !in.get(i).isBlank(); i++) {
            String l = in.get(i);
            if (!l.startsWith(" ") && row != null) {
                out.add(join(row));
                row = null;
            }
            List<StringBuilder> cells = new java.util.ArrayList<>();
            for (int c = 0; c < starts.length; c++) {
                int from = Math.min(starts[c], l.length());
                int to = c + 1 < starts.length ? Math.min(starts[c + 1], l.length()) : l.length();
                cells.add(new StringBuilder(l.substring(from, to).strip()));
            }
            if (row == null) {
                row = cells;
            } else {
                for (int c = 0; c < starts.length; c++) {
                    if (cells.get(c).length() > 0) {
                        row.get(c).append(' ').append(cells.get(c));
                    }
                }
            }
        }
        if (row != null) {
            out.add(join(row));
        }
        for (; i < in.size(); i++) {
            String l = in.get(i);
            if (l.startsWith("          ") && !out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + l.strip());
            } else {
                out.add(l);
            }
        }
        return String.join("\n", out);
    }

    private static String join(List<StringBuilder> cells) {
        StringBuilder b = new StringBuilder(String.format("%-10s", cells.get(0)));
        for (int c = 1; c < cells.size(); c++) {
            b.append("  ").append(cells.get(c));
        }
        return b.toString();
    }

    /** Root, or CAP_NET_RAW in the effective set: the demo then captures; CI is root. */
    private static boolean canCapture() {
        return ProcessResources.hasCapability(ProcessResources.CAP_NET_RAW);
    }
}
