package dev.unplug.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the contract needs of a socket lent to a client library: aborts that never wait for the library's threads. */
class OwnedSocketTest {

    @Test
    void anAbortNeverWaitsForAThreadInsideAReadAndTheLastThreadOutClosesTheSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            OwnedSocket s = OwnedSocket.create();
            CountDownLatch inRead = new CountDownLatch(1);
            CountDownLatch mayLeave = new CountDownLatch(1);
            // a reader the scheduler has not run yet: woken by the abort, it stays inside the read until told
            s.inspectInput(in -> new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    inRead.countDown();
                    try {
                        return super.read(b, off, len);
                    } finally {
                        try {
                            mayLeave.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            try (Socket peer = server.accept()) {
                InputStream in = s.getInputStream();
                CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.read(new byte[16], 0, 16);
                    } catch (IOException e) {
                        return -2;
                    }
                });
                assertThat(inRead.await(10, TimeUnit.SECONDS)).isTrue();
                s.abort(false);
                assertThat(s.isClosed()).as("closed while a thread is still inside its read").isFalse();
                assertThat(peer.getInputStream().read()).as("what the server reads after the abort").isEqualTo(-1);
                mayLeave.countDown();
                assertThat(reader.get(10, TimeUnit.SECONDS)).as("the reader's read").isEqualTo(-1);
                assertThat(s.isClosed()).as("closed by the last thread out").isTrue();
            }
        }
    }

    @Test
    void anAbortWithNoThreadInsideClosesAtOnceAndAResetAlwaysDoes() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
            OwnedSocket idle = OwnedSocket.create();
            idle.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            try (Socket peer = server.accept()) {
                idle.abort(false);
                assertThat(idle.isClosed()).isTrue();
                assertThat(peer.getInputStream().read()).isEqualTo(-1);
            }
            OwnedSocket reset = OwnedSocket.create();
            reset.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            try (Socket peer = server.accept()) {
                reset.abort(true);
                assertThat(reset.isClosed()).isTrue();
            }
        }
    }
}
