package dev.unplug.spi;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/**
 * What the first close of a socket in a JVM would load on a drop's path (the JDK's socket option registry, read for
 * SO_LINGER on every close, and its native dispatcher: 0.4-0.8 ms measured in a fresh JVM), loaded instead by the
 * first connect, which does I/O anyway, by reading the option on a socket of its own and closing it. Once per JVM and
 * kind (a {@link Socket}, a {@link SocketChannel}); a failure only means nothing was loaded early. Thread-safe.
 */
final class ClosePath {

    private static volatile boolean socketLoaded;
    private static volatile boolean channelLoaded;

    private ClosePath() {
    }

    /** Loads the close path of {@link Socket}, the first time only. */
    static void socket() {
        if (socketLoaded) {
            return;
        }
        socketLoaded = true;
        try (Socket s = new Socket()) {
            s.getSoLinger();
        } catch (IOException | RuntimeException ignored) {
            // nothing loaded early: the first drop loads it
        }
    }

    /** Loads the close path of {@link SocketChannel}, the first time only. */
    static void channel() {
        if (channelLoaded) {
            return;
        }
        channelLoaded = true;
        try (SocketChannel c = SocketChannel.open()) {
            c.socket().getSoLinger();
        } catch (IOException | RuntimeException ignored) {
            // nothing loaded early: the first drop loads it
        }
    }
}
