package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.mail.SmtpSession;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How OpenSMTPD ({@code smtpd -d}) saw the end of a session: {@code <session> smtp disconnected reason=quit} after
 * QUIT; {@code reason=disconnect} when the client closed without it; {@code reason="io-error: Connection reset by
 * peer"} when it reset. The session is found through the queue id of the message it sent
 * ({@code <session> smtp message msgid=<id> ...}).
 */
class OpenSmtpdSessionEndTest extends InteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern QUEUED = Pattern.compile("\\b([0-9a-f]{8}) Message accepted");

    @BeforeEach
    void serverRuns() {
        Server.SMTP.require();
    }

    @Test
    void gracefulDisconnectEndsTheSessionWithQuitOnTheServer() {
        Ended ended = sendThenEnd("smtp-quit", Options.empty(), c -> c.disconnect(Mail.GOODBYE));
        assertThat(ended.outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(ended.outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).startsWith("221"));
        assertThat(ended.serverReason).isEqualTo("quit");
    }

    @Test
    void dropEndsTheSessionWithoutQuitOnTheServer() {
        Ended ended = sendThenEnd("smtp-drop", Options.empty(), Connection::drop);
        assertThat(ended.outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(ended.serverReason).isEqualTo("disconnect");
    }

    @Test
    void dropWithResetEndsTheSessionWithAResetOnTheServer() {
        Options reset = Options.builder().set(Options.RESET_ON_DROP, true).build();
        Ended ended = sendThenEnd("smtp-reset", reset, Connection::drop);
        assertThat(ended.outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(ended.serverReason).isEqualTo("\"io-error: Connection reset by peer\"");
    }

    /** How a session that queued one message ended, and the reason OpenSMTPD logged for its end. */
    private record Ended(DisconnectOutcome outcome, String serverReason) {
    }

    private static Ended sendThenEnd(String what, Options options, Function<Connection, DisconnectOutcome> end) {
        ServerLog smtpd = ServerLog.mark(ServerPaths.smtpdLog());
        DisconnectOutcome outcome;
        String msgid;
        try (Connection c = host.open(Server.SMTP.uri(), options)) {
            c.connect();
            msgid = send(c, what);
            outcome = end.apply(c);
        }
        return new Ended(outcome, sessionEnd(smtpd, msgid));
    }

    private static String send(Connection c, String what) {
        String reply = c.unwrap(SmtpSession.class)
                .send("bob@example.test", List.of("alice@example.test"), Mail.message(Mail.uniqueTag(what)));
        Matcher m = QUEUED.matcher(reply);
        assertThat(m.find()).as("OpenSMTPD's reply to the end of data: %s", reply).isTrue();
        return m.group(1);
    }

    /** The reason OpenSMTPD logged for the end of the session that queued this message. */
    private static String sessionEnd(ServerLog smtpd, String msgid) {
        String session = smtpd.await("the session of message " + msgid,
                "^(\\w+) smtp message msgid=" + msgid + " ", WAIT).group(1);
        return smtpd.await("the end of session " + session,
                "^" + session + " smtp disconnected reason=(.*)$", WAIT).group(1);
    }
}
