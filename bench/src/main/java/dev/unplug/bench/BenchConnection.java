package dev.unplug.bench;

import dev.unplug.api.Options;
import dev.unplug.spi.GoodbyeReply;
import dev.unplug.spi.SocketConnection;
import java.io.IOException;
import java.net.URI;

/**
 * The bench plugin's connection, on the SPI's socket base: a one-line greeting, {@code QUIT} answered by
 * {@code BYE}. Thread-safe through its base class.
 */
final class BenchConnection extends SocketConnection {

    BenchConnection(URI uri, Options options) {
        super("bench-tcp", uri, options, 7, false);
    }

    @Override
    protected void greet(Lines io) throws IOException {
        io.readLine();
    }

    @Override
    protected GoodbyeReply goodbye(Lines io) throws IOException {
        io.writeLine("QUIT");
        String answer = io.readLine();
        return GoodbyeReply.judged(answer.equals("BYE"), answer);
    }
}
