package dev.unplug.smtp;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.mail.SmtpSession;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.TckPeer;
import dev.unplug.transport.fixture.GreenMailFixture;
import dev.unplug.transport.fixture.InternetTransportContractTest;
import java.net.URI;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.function.Executable;

/** The connection contract (normal server: GreenMail) and the internet transport checks, for SMTP. */
class SmtpContractTest extends InternetTransportContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return SmtpProvider.class;
    }

    @Override
    protected LineScript.Builder scriptBuilder() {
        return LineScript.smtp();
    }

    @Override
    protected Predicate<String> goodbyeRequest() {
        return LineScript.command("QUIT");
    }

    @Override
    protected String goodbyeRefusal() {
        return "554 5.3.0 not now";
    }

    @Override
    protected ErrorKind protocolErrorKind() {
        return ErrorKind.SMTP_ERROR;
    }

    @Override
    protected String tlsScheme() {
        return "smtps";
    }

    @Override
    protected LineScript startTlsScript() {
        return LineScript.smtp().startTls(LineScript.command("STARTTLS"), "220 2.0.0 Ready to start TLS").build();
    }

    /** GreenMail is the normal server of the clean-disconnect and leak checks. */
    @Override
    protected TckPeer startNormalPeer() {
        GreenMailFixture mail = GreenMailFixture.start("smtp");
        return TckPeer.external(mail.uri("smtp"), mail);
    }

    @Override
    protected URI uri(int port) {
        return URI.create("smtp://127.0.0.1:" + port);
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> connection.unwrap(SmtpSession.class).noop();
    }

    /** NOOP answered by one endless line, and by {@code 250-} lines that never reach the last line. */
    @Override
    protected List<EndlessReply> endlessReplies() {
        return List.of(new EndlessReply(LineScript.command("NOOP"), "", "x", this::blockingOperation),
                new EndlessReply(LineScript.command("NOOP"), "", "250-more\r\n", this::blockingOperation));
    }
}
