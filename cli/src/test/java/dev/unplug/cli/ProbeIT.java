package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code unplug probe} from the fat jar against GreenMail and a hostile peer, all on loopback. */
class ProbeIT {

    private static GreenMail greenMail;

    @BeforeAll
    static void startGreenMail() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        greenMail.setUser("alice@localhost", "alice", "secret");
    }

    @AfterAll
    static void stopGreenMail() {
        greenMail.stop();
    }

    private static String smtp(String userInfo) {
        return "smtp://" + userInfo + "127.0.0.1:" + greenMail.getSmtp().getPort();
    }

    @Test
    void gracefulProbeOfGreenMailSmtpIsCleanWithTheQuitReply() {
        UnplugJar.Result r = UnplugJar.run("probe", smtp(""), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, Object> json = JsonReader.object(r.out());
        assertThat(json).containsEntry("plugin", "smtp").containsEntry("mode", "graceful")
                .containsEntry("outcome", "CLEAN").containsEntry("error", null)
                .containsEntry("uri", smtp(""));
        assertThat((String) json.get("lastReply")).startsWith("221");
        assertThat((Double) json.get("elapsedMillis")).isGreaterThanOrEqualTo(0.0);
        assertThat(json).containsKey("reason");
    }

    @Test
    void probeWithCredentialsLogsInAndNeverPrintsThePassword() {
        UnplugJar.Result r = UnplugJar.run("probe", smtp("alice:secret@"), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.all()).doesNotContain("secret");
        Map<String, Object> json = JsonReader.object(r.out());
        assertThat(json).containsEntry("outcome", "CLEAN").containsEntry("uri", smtp("alice:***@"));

        UnplugJar.Result human = UnplugJar.run("probe", smtp("alice:secret@"));
        assertThat(human.exit()).as(human.toString()).isZero();
        assertThat(human.all()).doesNotContain("secret").contains("alice:***@");
        assertThat(human.out().lines()).hasSizeBetween(1, 2);
        assertThat(human.out()).contains("CLEAN");
    }

    @Test
    void dropModeSendsNoGoodbyeAndReportsDropped() {
        UnplugJar.Result r = UnplugJar.run("probe", smtp(""), "--mode", "drop", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, Object> json = JsonReader.object(r.out());
        assertThat(json).containsEntry("mode", "drop").containsEntry("outcome", "DROPPED")
                .containsEntry("lastReply", null);
    }

    @Test
    void gracefulProbeOfAPeerThatNeverAnswersQuitEscalatesAtTheDeadline() {
        try (LoopbackPeer peer = LoopbackPeer.neverAnswersGoodbye(LineScript.smtp().build())) {
            UnplugJar.Result r = UnplugJar.run("probe", peer.uri("smtp").toString(), "--deadline", "300ms",
                    "--json");
            assertThat(r.exit()).as(r.toString()).isZero();
            Map<String, Object> json = JsonReader.object(r.out());
            assertThat(json).containsEntry("outcome", "ESCALATED").containsEntry("deadlineMillis", 300.0);
            // sanity bounds only (catch a hang or a deadline ignored), not a speed target
            assertThat((Double) json.get("elapsedMillis")).isBetween(250.0, 5_000.0);
            assertThat(peer.goodbyeCount()).isEqualTo(1);
        }
    }
}
