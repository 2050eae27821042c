package dev.unplug.testkit.resp;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.GoodbyeReply;
import dev.unplug.spi.SocketConnection;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

// A Redis-style plugin on the SPI's socket base: commands are RESP arrays spanning several lines, QUIT -> +OK.
@UnplugPlugin(id = "resp", schemes = "resp", apiVersion = ApiVersion.CURRENT)
public final class RespProvider implements UnplugProvider {
    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE, Capability.COMMANDS);
    }

    @Override
    public Connection open(URI uri, Options options) {
        return new RespConnection(SocketConnection.requireTarget(this, uri, options), options);
    }

    public static final class RespConnection extends SocketConnection {
        RespConnection(URI uri, Options options) {
            super("resp", uri, options, 6379, false); // no greeting: the server speaks when spoken to
        }

        public String ping() {
            return exchange("PING", io -> call(io, "PING"));
        }

        @Override
        protected GoodbyeReply goodbye(Lines io) throws IOException {
            String answer = call(io, "QUIT");
            return GoodbyeReply.judged(answer.startsWith("+"), answer);
        }

        private static String call(Lines io, String word) throws IOException {
            io.writeLine("*1\r\n$" + word.length() + "\r\n" + word);
            return io.readLine();
        }
    }
}
