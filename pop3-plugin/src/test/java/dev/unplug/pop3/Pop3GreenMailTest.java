package dev.unplug.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.transport.fixture.GreenMailFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class Pop3GreenMailTest {

    private static final String SECRET = "S3cretPop3Passw0rd";

    private final Pop3Provider provider = new Pop3Provider();
    private GreenMailFixture mail;
    private GreenMailUser alice;

    @TempDir
    Path dir;

    @BeforeEach
    void startGreenMailWithTwoMessages() throws Exception {
        mail = GreenMailFixture.start("pop3", "pop3s");
        alice = mail.greenMail().setUser("alice@localhost", "alice", SECRET);
        ServerSetup setup = ServerSetup.SMTP; // only names the session; nothing is sent over SMTP
        alice.deliver(GreenMailUtil.createTextEmail("alice@localhost", "bob@localhost", "first", "one", setup));
        alice.deliver(GreenMailUtil.createTextEmail("alice@localhost", "bob@localhost", "second", "two", setup));
    }

    @AfterEach
    void stopGreenMail() {
        mail.close();
    }

    private Connection loggedIn(String scheme, Options options) {
        Connection c = provider.open(mail.uri(scheme, "alice:" + SECRET), options);
        c.connect();
        assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
        return c;
    }

    /**
     * Messages in GreenMail's store, read from the store itself: GreenMail keeps a POP3 deletion mark on the
     * stored message (a real server keeps it per session), so only the store shows whether QUIT expunged it.
     */
    private int messagesOnTheServer() {
        return mail.greenMail().getReceivedMessages().length;
    }

    @Test
    void listsAndRetrievesMessages() {
        try (Connection c = loggedIn("pop3", Options.empty())) {
            Pop3Session pop3 = c.unwrap(Pop3Session.class);
            assertThat(pop3.stat().messages()).isEqualTo(2);
            assertThat(pop3.list()).extracting(Pop3Session.Entry::number).containsExactly(1, 2);
            assertThat(pop3.list()).allMatch(e -> e.octets() > 0);
            assertThat(pop3.retrieve(2)).contains("Subject: second").contains("two");
        }
    }

    @Test
    void aDeletionIsCommittedByTheGracefulDisconnect() {
        Connection c = loggedIn("pop3", Options.empty());
        c.unwrap(Pop3Session.class).delete(1);

        DisconnectOutcome outcome = c.disconnect();

        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).startsWith("+OK"));
        assertThat(messagesOnTheServer()).isEqualTo(1);
    }

    @Test
    void aDeletionIsNotCommittedByADrop() {
        Connection c = loggedIn("pop3", Options.empty());
        c.unwrap(Pop3Session.class).delete(1);
        assertThat(c.unwrap(Pop3Session.class).stat().messages()).as("visible in the session").isEqualTo(1);

        DisconnectOutcome outcome = c.drop();

        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(messagesOnTheServer()).as("messages after the drop").isEqualTo(2);
    }

    @Test
    void anErrReplyIsAPop3ErrorThatLeavesTheConnectionOpen() {
        try (Connection c = loggedIn("pop3", Options.empty())) {
            Pop3Session pop3 = c.unwrap(Pop3Session.class);
            assertThatThrownBy(() -> pop3.retrieve(99)).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.POP3_ERROR);
                assertThat(e.serverReply()).hasValueSatisfying(r -> assertThat(r).startsWith("-ERR"));
                assertThat(e.getMessage()).contains("RETR 99");
            });
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            assertThatThrownBy(() -> pop3.delete(0)).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
    }

    @Test
    void aRejectedLoginIsAuthenticationFailedWithoutThePassword() {
        String wrong = "Wr0ngPop3Passw0rd";
        Connection c = provider.open(mail.uri("pop3", "alice:" + wrong), Options.empty());
        assertThat(c.toString()).doesNotContain(wrong);
        assertThat(c.uri().toString()).doesNotContain(wrong);
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION_FAILED);
            assertThat(e.getMessage()).doesNotContain(wrong);
            assertThat(e.toString()).doesNotContain(wrong);
        });
        assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o.toString()).doesNotContain(wrong));
    }

    @Test
    void pop3sWithATrustedCertificateWorksAndCommitsAtTheGracefulDisconnect() {
        Options trusted = GreenMailFixture.trusting(GreenMailFixture.trustStore(dir), false);
        Connection c = loggedIn("pop3s", trusted);
        c.unwrap(Pop3Session.class).delete(2);
        DisconnectOutcome outcome = c.disconnect(Duration.ofSeconds(5));
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(messagesOnTheServer()).isEqualTo(1);
    }

    @Test
    void pop3sVerifiesTheHostNameByDefault() {
        Path trust = GreenMailFixture.trustStore(dir);
        Options trustedButChecked = GreenMailFixture.trusting(trust, true);
        Connection c = provider.open(mail.uri("pop3s", "alice:" + SECRET), trustedButChecked);
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED);
            assertThat(e.getMessage()).doesNotContain(SECRET);
        });
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }
}
