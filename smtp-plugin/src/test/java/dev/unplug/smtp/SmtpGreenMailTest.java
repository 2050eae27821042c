package dev.unplug.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.SmtpSession;
import dev.unplug.transport.ClientAccess;
import dev.unplug.transport.fixture.GreenMailFixture;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SmtpGreenMailTest {

    private static final String SECRET = "S3cretSmtpPassw0rd";
    private static final String MESSAGE = "From: alice@localhost\r\nTo: bob@localhost\r\nSubject: unplug test\r\n\r\n"
            + "Hello Bob.\r\n.leading dot survives\r\n";

    private final SmtpProvider provider = new SmtpProvider();
    private GreenMailFixture mail;

    @TempDir
    Path dir;

    @BeforeEach
    void startGreenMail() {
        mail = GreenMailFixture.start("smtp", "smtps");
        mail.greenMail().setUser("alice@localhost", "alice", SECRET);
    }

    @AfterEach
    void stopGreenMail() {
        mail.close();
    }

    @Test
    void sendsAMessageThatTheServerReceivesThenDisconnectsCleanWith221() throws Exception {
        Connection c = provider.open(mail.uri("smtp"), Options.empty());
        c.connect();
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        SmtpSession smtp = c.unwrap(SmtpSession.class);
        assertThat(smtp.hello()).startsWith("250");

        String reply = smtp.send("alice@localhost", List.of("bob@localhost"), MESSAGE);

        assertThat(reply).startsWith("250");
        assertThat(mail.greenMail().waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage received = mail.greenMail().getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("unplug test");
        assertThat(GreenMailUtil.getBody(received)).contains("Hello Bob.").contains(".leading dot survives");

        DisconnectOutcome outcome = c.disconnect();
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("221"));
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void credentialsInTheUriLogInAndAreNeverShown() {
        Connection c = provider.open(mail.uri("smtp", "alice:" + SECRET), Options.empty());
        assertThat(c.toString()).doesNotContain(SECRET);
        assertThat(c.uri().toString()).doesNotContain(SECRET);
        c.connect();
        assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
        assertThat(c.toString()).doesNotContain(SECRET);
        assertThat(c.disconnect().kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
    }

    @Test
    void aRejectedLoginIsAuthenticationFailedWithoutThePasswordInTheMessage() {
        String wrong = "Wr0ngSmtpPassw0rd";
        Connection c = provider.open(mail.uri("smtp"), Options.builder().set(Options.USER, "alice")
                .set(Options.PASSWORD, wrong).build());
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION_FAILED);
            assertThat(e.replyCode().orElse(-1)).isBetween(500, 599);
            assertThat(e.getMessage()).doesNotContain(wrong).contains("alice");
            assertThat(e.toString()).doesNotContain(wrong);
        });
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o.toString()).doesNotContain(wrong));
    }

    @Test
    void aDroppedConnectionRefusesFurtherWorkWithConnectionDropped() {
        Connection c = provider.open(mail.uri("smtp"), Options.empty());
        c.connect();
        DisconnectOutcome outcome = c.drop();
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(outcome.lastReply()).isEmpty();
        SmtpSession smtp = c.unwrap(SmtpSession.class);
        assertThatThrownBy(smtp::noop).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION_DROPPED));
    }

    @Test
    void workBeforeConnectIsNotInitialised() {
        Connection c = provider.open(mail.uri("smtp"), Options.empty());
        assertThatThrownBy(() -> c.unwrap(SmtpSession.class).noop()).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_INITIALISED));
    }

    @Test
    void applicationsRunTheirOwnCommandsOnTheCommonsNetClient() {
        try (Connection c = provider.open(mail.uri("smtp"), Options.empty())) {
            c.connect();
            @SuppressWarnings("unchecked")
            ClientAccess<org.apache.commons.net.smtp.AuthenticatingSMTPClient> access = c.unwrap(ClientAccess.class);
            int code = access.withClient("VRFY bob", client -> {
                assertThat(c.state()).isEqualTo(ConnectionState.BUSY);
                return client.vrfy("bob@localhost");
            });
            assertThat(code).isBetween(200, 599);
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void badAddressesAreInvalidArgumentsAndSendNothing() {
        try (Connection c = provider.open(mail.uri("smtp"), Options.empty())) {
            c.connect();
            SmtpSession smtp = c.unwrap(SmtpSession.class);
            assertThatThrownBy(() -> smtp.send("a@localhost\r\nRSET", List.of("b@localhost"), MESSAGE))
                    .isInstanceOfSatisfying(UnplugException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
            assertThatThrownBy(() -> smtp.send("a@localhost", List.of(), MESSAGE))
                    .isInstanceOfSatisfying(UnplugException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
            assertThatThrownBy(() -> smtp.send(null, List.of("b@localhost"), MESSAGE))
                    .isInstanceOfSatisfying(UnplugException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.NULL_ARGUMENT));
            assertThat(mail.greenMail().getReceivedMessages()).isEmpty();
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void smtpsWithATrustedCertificateSendsAndDisconnectsClean() {
        Path trust = GreenMailFixture.trustStore(dir);
        Connection c = provider.open(mail.uri("smtps"), GreenMailFixture.trusting(trust, false));
        c.connect();
        c.unwrap(SmtpSession.class).send("alice@localhost", List.of("bob@localhost"), MESSAGE);
        assertThat(mail.greenMail().waitForIncomingEmail(5_000, 1)).isTrue();
        DisconnectOutcome outcome = c.disconnect(Duration.ofSeconds(5));
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("221"));
    }

    @Test
    void smtpsVerifiesTheHostNameByDefault() {
        // GreenMail's certificate is trusted here, but it is not issued for 127.0.0.1
        Path trust = GreenMailFixture.trustStore(dir);
        Options trusted = Options.builder().set("tlsTrustStore", trust.toString())
                .set("tlsTrustStorePassword", GreenMailFixture.STORE_PASSWORD).build();
        Connection c = provider.open(mail.uri("smtps"), trusted);
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED);
            assertThat(e.getMessage()).doesNotContain(GreenMailFixture.STORE_PASSWORD);
        });
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void smtpsRefusesAnUntrustedCertificate() {
        Connection c = provider.open(mail.uri("smtps"), Options.empty());
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED));
    }
}
