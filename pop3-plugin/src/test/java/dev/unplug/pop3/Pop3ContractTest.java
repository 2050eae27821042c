package dev.unplug.pop3;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.TckPeer;
import dev.unplug.transport.fixture.GreenMailFixture;
import dev.unplug.transport.fixture.InternetTransportContractTest;
import java.net.URI;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.function.Executable;

/** The connection contract (normal server: GreenMail) and the internet transport checks, for POP3 (logged in as the script's user). */
class Pop3ContractTest extends InternetTransportContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return Pop3Provider.class;
    }

    @Override
    protected LineScript.Builder scriptBuilder() {
        return LineScript.pop3();
    }

    @Override
    protected Predicate<String> goodbyeRequest() {
        return LineScript.command("QUIT");
    }

    @Override
    protected String goodbyeRefusal() {
        return "-ERR mailbox could not be updated";
    }

    @Override
    protected ErrorKind protocolErrorKind() {
        return ErrorKind.POP3_ERROR;
    }

    @Override
    protected String tlsScheme() {
        return "pop3s";
    }

    @Override
    protected LineScript startTlsScript() {
        return LineScript.pop3().startTls(LineScript.command("STLS"), "+OK Begin TLS negotiation").build();
    }

    /** GreenMail is the normal server of the clean-disconnect and leak checks. */
    @Override
    protected TckPeer startNormalPeer() {
        GreenMailFixture mail = GreenMailFixture.start("pop3");
        mail.greenMail().setUser("alice@localhost", "alice", "secret");
        return TckPeer.external(mail.uri("pop3", "alice:secret"), mail);
    }

    @Override
    protected URI uri(int port) {
        return URI.create("pop3://alice:secret@127.0.0.1:" + port);
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> connection.unwrap(Pop3Session.class).stat();
    }

    /** STAT answered by one endless line, and LIST by a scan listing that never reaches its {@code .} line. */
    @Override
    protected List<EndlessReply> endlessReplies() {
        return List.of(new EndlessReply(LineScript.command("STAT"), "", "x", this::blockingOperation),
                new EndlessReply(LineScript.command("LIST"), "+OK scan listing follows", "1 100\r\n",
                        c -> () -> c.unwrap(Pop3Session.class).list()));
    }
}
