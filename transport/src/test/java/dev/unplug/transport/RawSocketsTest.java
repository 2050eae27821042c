package dev.unplug.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RawSocketsTest {

    @Test
    void abortClosesTheRecordedSocketAndReleasesABlockedReader() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RawSockets factory = new RawSockets(1 << 20);
            Socket s = factory.createSocket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);
            try (Socket accepted = server.accept()) {
                InputStream in = s.getInputStream();
                CompletableFuture<Object> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.read();
                    } catch (Exception e) {
                        return e;
                    }
                });
                Thread.sleep(100);
                assertThat(reader).isNotDone();
                long start = System.nanoTime();
                factory.abort(true);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
                // the abort shuts the input down, then closes: the reader wakes with the end of its stream (-1) or,
                // when the close wins the wake-up, a SocketException; either way it is released at once
                assertThat(reader.get(2, TimeUnit.SECONDS)).satisfiesAnyOf(
                        r -> assertThat(r).isEqualTo(-1),
                        r -> assertThat(r).isInstanceOf(SocketException.class));
                assertThat(s.isClosed()).isTrue();
                assertThat(factory.current()).isSameAs(s);
                // the peer sees a reset, not an orderly end of stream
                assertThatThrownBy(() -> accepted.getInputStream().read()).isInstanceOf(SocketException.class);
            }
        }
    }

    @Test
    void noSocketIsMadeAfterAnAbort() {
        RawSockets factory = new RawSockets(1 << 20);
        factory.abort(false);
        factory.abort(false);
        assertThatThrownBy(factory::createSocket).isInstanceOf(SocketException.class);
        assertThat(factory.current()).isNull();
    }
}
