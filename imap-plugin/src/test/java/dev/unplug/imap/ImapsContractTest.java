package dev.unplug.imap;

import dev.unplug.api.Options;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import dev.unplug.testkit.tck.TckPeer;
import dev.unplug.spi.TlsSettings;
import java.net.URI;

/**
 * The testkit TCK for {@code imaps}: implicit TLS peers whose certificate names 127.0.0.1, trusted through a
 * trust store, with host name verification left on (the default). Among others this proves that a drop while
 * another thread is blocked reading under TLS returns promptly.
 */
class ImapsContractTest extends ImapContractTest {

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
    protected TckPeer startNormalPeer() {
        LoopbackPeer peer = peerBuilder().start();
        return TckPeer.of(peer, uri(peer.port()));
    }
}
