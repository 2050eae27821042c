package dev.unplug.testkit.line;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import dev.unplug.testkit.tck.ConnectionContractTest;
import java.net.URI;
import org.junit.jupiter.api.function.Executable;

/**
 * The TCK over implicit TLS: TLS peers with the runtime certificate, a client that verifies the host name
 * against {@link PeerTls#trustStore()}, and drop closing the raw socket beneath TLS while a reader is blocked.
 */
class LinesTlsContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return LineProvider.class;
    }

    @Override
    protected LineScript script() {
        return LineConnectionContractTest.lineScript();
    }

    @Override
    protected URI uri(int port) {
        return URI.create("lines://localhost:" + port);
    }

    @Override
    protected Options options() {
        return Options.builder().set("trustStore", PeerTls.trustStore().toString())
                .set("trustStorePassword", PeerTls.trustStorePassword()).build();
    }

    @Override
    protected LoopbackPeer.Builder peerBuilder() {
        return super.peerBuilder().tls();
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> connection.unwrap(LineConnection.class).send("PING");
    }
}
