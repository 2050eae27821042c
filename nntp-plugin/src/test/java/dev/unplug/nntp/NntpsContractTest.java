package dev.unplug.nntp;

import dev.unplug.api.Options;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import dev.unplug.testkit.tck.TckPeer;
import dev.unplug.spi.TlsSettings;
import java.net.URI;

/**
 * The testkit TCK for {@code nntps}: implicit TLS peers whose certificate names 127.0.0.1, trusted through a
 * trust store, host name verification on (the default); includes a drop under TLS while another thread reads.
 */
class NntpsContractTest extends NntpContractTest {

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
    protected TckPeer startNormalPeer() {
        LoopbackPeer peer = peerBuilder().start();
        return TckPeer.of(peer, uri(peer.port()));
    }
}
