package dev.unplug.imap;

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
 * The testkit TCK for {@code imaps}: implicit TLS peers whose certificate names 127.0.0.1, trusted through a
 * trust store, with host name verification left on (the default). Among others this proves that a drop while
 * another thread is blocked reading under TLS returns promptly.
 */
class ImapsContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return ImapProvider.class;
    }

    @Override
    protected LineScript script() {
        return LineScript.imap().build();
    }

    @Override
    protected URI uri(int port) {
        return URI.create("imaps://tckuser:tckpass@127.0.0.1:" + port);
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
        return () -> connection.unwrap(ImapSession.class).search("ALL");
    }
}
