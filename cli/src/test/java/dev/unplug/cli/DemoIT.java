package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(r.out()).contains("sent 1 message", "selected INBOX", "deleted it", "QUIT committed the deletion",
                "posted #1 to local.test", "server saw QUIT", "server saw no QUIT on the drop")
                .contains("5 of 5 behaved as expected.").doesNotContain("not available yet").doesNotContain(MailServers.PASSWORD);
    }
}
