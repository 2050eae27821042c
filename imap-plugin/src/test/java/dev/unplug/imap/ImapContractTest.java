package dev.unplug.imap;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.unplug.api.Connection;
import dev.unplug.api.mail.ImapSession;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.TckPeer;
import java.net.URI;
import org.junit.jupiter.api.function.Executable;

/** The testkit TCK for {@code imap}: GreenMail as the normal server, scripted peers for the hostile cases. */
class ImapContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return ImapProvider.class;
    }

    @Override
    protected LineScript script() {
        return LineScript.imap().on(LineScript.tagged("SEARCH"), "* SEARCH", "{tag} OK SEARCH completed").build();
    }

    @Override
    protected URI uri(int port) {
        return URI.create("imap://tckuser:tckpass@127.0.0.1:" + port);
    }

    @Override
    protected TckPeer startNormalPeer() {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
        greenMail.start();
        greenMail.setUser("tckuser@unplug.test", "tckuser", "tckpass");
        return TckPeer.external(uri(greenMail.getImap().getPort()), greenMail::stop);
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> connection.unwrap(ImapSession.class).search("ALL");
    }

    /** The shared transport base sends the goodbye through its socket's gate without waiting for the answer. */
    @Override
    protected boolean defersGoodbyeAnswer() {
        return true;
    }
}
