package dev.unplug.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.ImapSession;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.transport.ClientAccess;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IMAP plugin against GreenMail, in this JVM, on loopback. */
class ImapGreenMailTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private GreenMail greenMail;
    private int imapPort;
    private int imapsPort;

    @BeforeEach
    void startGreenMail() throws Exception {
        greenMail = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort(),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS).dynamicPort()});
        greenMail.start();
        imapPort = greenMail.getImap().getPort();
        imapsPort = greenMail.getImaps().getPort();
        GreenMailUser alice = greenMail.setUser("alice@unplug.test", "alice", "s3cret");
        alice.deliver(GreenMailUtil.createTextEmail("alice@unplug.test", "bob@unplug.test", "greeting",
                "hello from greenmail", greenMail.getImap().getServerSetup()));
    }

    @AfterEach
    void stopGreenMail() {
        greenMail.stop();
    }

    static UnplugProvider provider() {
        return ServiceLoader.load(UnplugProvider.class).stream()
                .filter(p -> p.type() == ImapProvider.class).findFirst().orElseThrow().get();
    }

    private Connection open(String userInfo, Options options) {
        return provider().open(URI.create("imap://" + userInfo + "@127.0.0.1:" + imapPort), options);
    }

    @Test
    void providerIsFoundThroughServiceLoaderAndDeclaresItsSchemes() {
        UnplugProvider p = provider();
        assertThat(p.id()).isEqualTo("imap");
        assertThat(p.schemes()).containsExactlyInAnyOrder("imap", "imaps");
    }

    @Test
    void logsInSelectsFetchesAndLogoutIsCleanWithTheTaggedOk() {
        try (Connection c = open("alice:s3cret", Options.empty())) {
            c.connect();
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            ImapSession imap = c.unwrap(ImapSession.class);
            assertThat(imap.select("INBOX")).isEqualTo(1);
            assertThat(imap.fetch("1", "BODY[]")).contains("hello from greenmail").contains("Subject: greeting");
            assertThat(imap.search("ALL")).containsExactly(1);
            assertThat(imap.search("SUBJECT \"nothing like this\"")).isEmpty();
            assertThat(imap.status("INBOX", "MESSAGES", "UNSEEN")).containsEntry("MESSAGES", 1L);

            DisconnectOutcome outcome = c.disconnect(WAIT);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("OK"));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void storeAndExpungeRemoveAFlaggedMessage() {
        try (Connection c = open("alice:s3cret", Options.empty())) {
            c.connect();
            ImapSession imap = c.unwrap(ImapSession.class);
            imap.select("INBOX");
            imap.store("1", "+FLAGS", "(\\Deleted)");
            assertThat(imap.fetch("1", "(FLAGS)")).contains("\\Deleted");
            assertThat(imap.expunge()).isEqualTo(1);
            assertThat(imap.select("INBOX")).isZero();
            assertThat(c.disconnect(WAIT).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void aRefusedCommandIsImapNoAndTheSessionGoesOn() {
        try (Connection c = open("alice:s3cret", Options.empty())) {
            c.connect();
            ImapSession imap = c.unwrap(ImapSession.class);
            assertThatThrownBy(() -> imap.select("NoSuchMailbox"))
                    .isInstanceOfSatisfying(UnplugException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.IMAP_NO);
                        assertThat(e.serverReply()).hasValueSatisfying(r -> assertThat(r).contains("NO"));
                        assertThat(e.getMessage()).contains("SELECT NoSuchMailbox");
                    });
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            assertThat(imap.select("INBOX")).isEqualTo(1);
        }
    }

    @Test
    void aCommandTheServerCannotParseIsImapBad() {
        try (Connection c = open("alice:s3cret", Options.empty())) {
            c.connect();
            ImapSession imap = c.unwrap(ImapSession.class);
            imap.select("INBOX");
            assertThatThrownBy(() -> imap.search("NOSUCHKEY 1 2 3"))
                    .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind())
                            .isEqualTo(ErrorKind.IMAP_BAD));
            assertThat(imap.search("ALL")).containsExactly(1);
        }
    }

    @Test
    void aWrongPasswordIsAuthenticationFailedAndNeverShown() {
        Connection c = open("alice:WrongPassw0rd", Options.empty());
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION_FAILED);
            assertThat(e.serverReply()).hasValueSatisfying(r -> assertThat(r).contains("NO"));
            assertThat(e.toString()).doesNotContain("WrongPassw0rd");
        });
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(c.toString() + c.uri() + c.outcome().orElseThrow()).doesNotContain("WrongPassw0rd");
    }

    @Test
    void authenticatePlainThatTheServerDoesNotOfferIsAuthenticationFailedWithItsReply() {
        // GreenMail 2.1 has no AUTHENTICATE; a successful PLAIN login is proven against a scripted peer
        Connection c = open("alice:s3cret", Options.builder().set(ImapSession.AUTH, "plain").build());
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION_FAILED);
            assertThat(e.getMessage()).contains("AUTHENTICATE PLAIN");
            assertThat(e.serverReply()).hasValueSatisfying(r -> assertThat(r).contains("NO"));
        });
    }

    @Test
    void credentialsFromOptionsOverrideTheUri() {
        Options creds = Options.builder().set(Options.USER, "alice").set(Options.PASSWORD, "s3cret").build();
        try (Connection c = provider().open(URI.create("imap://127.0.0.1:" + imapPort), creds)) {
            c.connect();
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            assertThat(c.toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void dropEndsTheSessionAtOnceAndLaterCommandsSayDropped() {
        Connection c = open("alice:s3cret", Options.empty());
        c.connect();
        ImapSession imap = c.unwrap(ImapSession.class);
        imap.select("INBOX");
        DisconnectOutcome outcome = c.drop();
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(c.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThatThrownBy(() -> imap.select("INBOX")).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION_DROPPED));
        assertThatThrownBy(c::disconnect).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_CONNECTED));
    }

    @Test
    void argumentsThatWouldSmuggleASecondCommandAreRefusedBeforeSending() {
        try (Connection c = open("alice:s3cret", Options.empty())) {
            c.connect();
            ImapSession imap = c.unwrap(ImapSession.class);
            assertThatThrownBy(() -> imap.select("INBOX\r\nA1 DELETE INBOX"))
                    .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind())
                            .isEqualTo(ErrorKind.INVALID_ARGUMENT));
            assertThatThrownBy(() -> imap.fetch(null, "FLAGS")).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.NULL_ARGUMENT));
            assertThatThrownBy(() -> imap.status("INBOX")).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
            assertThat(imap.select("INBOX")).isEqualTo(1);
        }
    }

    @Test
    void sessionCommandsBeforeConnectSayNotInitialised() {
        Connection c = open("alice:s3cret", Options.empty());
        assertThatThrownBy(() -> c.unwrap(ImapSession.class).select("INBOX"))
                .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.NOT_INITIALISED));
    }

    @Test
    void anUnknownAuthOptionOrForeignSchemeIsRejectedWithoutIo() {
        assertThatThrownBy(() -> open("alice:s3cret", Options.builder().set(ImapSession.AUTH, "cram").build()))
                .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> provider().open(URI.create("pop3://127.0.0.1"), Options.empty()))
                .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    // ------------------------------------------------------------------ imaps

    /** GreenMail's own certificate, as a trust store file. */
    private static Path greenMailTrustStore(Path dir) throws Exception {
        Path store = dir.resolve("greenmail.p12");
        try (InputStream in = GreenMail.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            Files.copy(in, store, StandardCopyOption.REPLACE_EXISTING);
        }
        return store;
    }

    private Connection openImaps(Options options) {
        return provider().open(URI.create("imaps://alice:s3cret@127.0.0.1:" + imapsPort), options);
    }

    @Test
    void imapsVerifiesTheHostNameByDefaultSoACertificateForAnotherNameIsRefused(@TempDir Path dir) throws Exception {
        Options trusted = Options.builder().set("tlsTrustStore", greenMailTrustStore(dir).toString())
                .set("tlsTrustStorePassword", "changeit").build();
        Connection c = openImaps(trusted);
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED);
            assertThat(e.toString()).doesNotContain("s3cret").doesNotContain("changeit");
        });
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void imapsRefusesACertificateTheJdkDoesNotTrust() {
        Connection c = openImaps(Options.empty());
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED));
    }

    @Test
    void imapsWithATrustedCertificateAndHostNameCheckOffWorksAndLogsOutCleanly(@TempDir Path dir) throws Exception {
        Options trusted = Options.builder().set("tlsTrustStore", greenMailTrustStore(dir).toString())
                .set("tlsTrustStorePassword", "changeit").set("tlsVerifyHostname", "false").build();
        try (Connection c = openImaps(trusted)) {
            c.connect();
            ImapSession imap = c.unwrap(ImapSession.class);
            assertThat(imap.select("INBOX")).isEqualTo(1);
            assertThat(imap.fetch("1", "BODY[TEXT]")).contains("hello from greenmail");
            DisconnectOutcome outcome = c.disconnect(WAIT);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("OK"));
        }
    }

    @Test
    void rawCommandsRunOnTheCommonsNetClientUnderTheCommandLock() {
        try (Connection c = open("alice:s3cret", Options.empty())) {
            c.connect();
            @SuppressWarnings("unchecked")
            ClientAccess<org.apache.commons.net.imap.AuthenticatingIMAPClient> access = c.unwrap(ClientAccess.class);
            List<String> lines = access.withClient("CAPABILITY", client -> {
                client.capability();
                return List.of(client.getReplyStrings());
            });
            assertThat(lines).anyMatch(l -> l.startsWith("* CAPABILITY") && l.contains("IMAP4rev1"));
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
        }
    }

    @Test
    void statusParsesEveryItemTheServerReturns() {
        try (Connection c = open("alice:s3cret", Options.empty())) {
            c.connect();
            Map<String, Long> status = c.unwrap(ImapSession.class).status("INBOX", "MESSAGES", "UIDNEXT");
            assertThat(status).containsKeys("MESSAGES", "UIDNEXT").containsEntry("MESSAGES", 1L);
        }
    }
}
