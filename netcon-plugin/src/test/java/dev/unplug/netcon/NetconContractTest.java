package dev.unplug.netcon;

import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.TckPeer;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;

/**
 * The whole TCK against netcon, through the TCK's peer control: each peer is a veth pair in a network namespace of
 * its own, made for the check and deleted after it; the connection is its end {@code va}, the other end {@code vb}
 * is up, so that {@code va} becomes operational when connected. Needs root (skipped with the reason otherwise,
 * failed under {@code CI=true}). The peer does not observe a goodbye: a graceful disconnect and a drop both end
 * with the link down, which the other end cannot tell apart. Netcon declares neither GRACEFUL_GOODBYE (its goodbye
 * is a state change the kernel always reports) nor COMMANDS, so rules 13, 15, 16, 17, 18 and 19 are reported not
 * applicable; a link deleted under a disconnect is tested in {@link NetconConnectionTest}.
 */
class NetconContractTest extends ConnectionContractTest {

    @BeforeEach
    void root() {
        Netns.requireRoot();
    }

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return NetconProvider.class;
    }

    /** A link in a namespace that need not exist (the TCK only opens this one): a device has no port. */
    @Override
    protected URI uri(int port) {
        return URI.create("netcon://va?netns=" + Netns.PREFIX + "none");
    }

    /** A link in a namespace that does not exist: open accepts it, connect finds no link. */
    @Override
    protected URI unreachableUri() {
        return URI.create("netcon://va?netns=" + Netns.PREFIX + "none");
    }

    @Override
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        if (behaviour != PeerBehaviour.NORMAL) {
            throw new AssertionError("a link's goodbye is a state change in the kernel: it cannot be " + behaviour);
        }
        Netns ns = new Netns();
        try {
            ns.in("link", "set", "vb", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return TckPeer.external(URI.create("netcon://va?netns=" + ns.name), ns);
    }
}
