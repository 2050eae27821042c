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
        List<String> lines = r.out().lines().toList();
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
        assertThat(r.out()).containsPattern("client fallback COMPLETE .*unicast .* \\((\\d+) blocks, exactly the \\1 it"
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
        assertThat(r.out()).contains("sent 1 message", "selected INBOX", "deleted it", "QUIT committed the deletion",
                "posted #1 to local.test", "server saw QUIT", "server saw no QUIT on the drop")
                .contains("11 of 11 behaved as expected.").doesNotContain("not available yet").doesNotContain(MailServers.PASSWORD);
    }

    /** Root, or CAP_NET_RAW in the effective set: the demo then captures; CI is root. */
    private static boolean canCapture() {
        return ProcessResources.hasCapability(ProcessResources.CAP_NET_RAW);
    }
}
