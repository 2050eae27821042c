package dev.unplug.testkit.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.readme.ReadmeExampleTest;
import dev.unplug.testkit.tck.ConnectionContractTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The whole TCK against a Redis-style plugin written on the SPI's socket base in at most 30 counted lines: no
 * greeting, commands that span three lines ({@code *1}, {@code $4}, {@code QUIT}), scripted by answering only their
 * last line.
 */
class RespContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return RespProvider.class;
    }

    @Override
    protected LineScript script() {
        return LineScript.builder() // no greeting
                .on(line -> line.equals("PING"), "+PONG")
                .goodbye(line -> line.equals("QUIT"), "+OK")
                .build();
    }

    @Override
    protected URI uri(int port) {
        return URI.create("resp://127.0.0.1:" + port);
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> connection.unwrap(RespProvider.RespConnection.class).ping();
    }

    /** The socket base sends its goodbye without waiting for the answer in a mass shutdown. */
    @Override
    protected boolean defersGoodbyeAnswer() {
        return true;
    }

    @Test
    void thePluginIsAtMostThirtyCountedLines() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/unplug/testkit/resp/RespProvider.java"));
        assertThat(ReadmeExampleTest.countedLines(source)).as("counted lines of RespProvider").isLessThanOrEqualTo(30);
    }
}
