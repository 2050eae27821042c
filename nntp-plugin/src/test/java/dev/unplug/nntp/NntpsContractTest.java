package dev.unplug.nntp;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.transport.TlsSettings;
import java.net.URI;
import org.junit.jupiter.api.function.Executable;

/**
 * The testkit TCK for {@code nntps}: implicit TLS peers whose certificate names 127.0.0.1, trusted through a
 * trust store, host name verification on (the default); includes a drop under TLS while another thread reads.
 */
class NntpsContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return NntpProvider.class;
    }

    @Override
    protected LineScript script() {
        return LineScript.nntp().build();
    }

    @Override
    protected URI uri(int port) {
        return URI.create("nntps://tckuser:tckpass@127.0.0.1:" + port);
    }

    @Override
    protected Options options() {
        return Options.builder().set(TlsSettings.TRUST_STORE, PeerTls.trustStore().toString())
                .set(TlsSettings.TRUST_STORE_PASSWORD, PeerTls.trustStorePassword()).build();
    }

    @Override
    protected LoopbackPeer.Builder peerBuilder() {
        return super.peerBuilder().tls();
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> connection.unwrap(NntpSession.class).group("local.test");
    }
}
