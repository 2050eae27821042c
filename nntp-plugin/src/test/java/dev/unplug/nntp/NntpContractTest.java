package dev.unplug.nntp;

import dev.unplug.api.Connection;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.nntp.EmbeddedNntpServer;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.TckPeer;
import java.net.URI;
import org.junit.jupiter.api.function.Executable;

/** The testkit TCK for {@code nntp}: the embedded NNTP server as the normal server, scripted peers otherwise. */
class NntpContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return NntpProvider.class;
    }

    @Override
    protected LineScript script() {
        return LineScript.nntp().on("GROUP", "211 0 1 0 local.test").build();
    }

    @Override
    protected URI uri(int port) {
        return URI.create("nntp://tckuser:tckpass@127.0.0.1:" + port);
    }

    @Override
    protected TckPeer startNormalPeer() {
        EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test").transitMode(true)
                .credentials("tckuser", "tckpass").start();
        return TckPeer.external(uri(server.port()), server);
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> connection.unwrap(NntpSession.class).group("local.test");
    }

    /** The shared transport base sends the goodbye through its socket's gate without waiting for the answer. */
    @Override
    protected boolean defersGoodbyeAnswer() {
        return true;
    }
}
