package dev.unplug.testkit.redis;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.GoodbyeReply;
import dev.unplug.spi.SocketConnection;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;

// Redis on the SPI's socket base: redis://user:password@host:6379. Commands are RESP arrays of bulk strings
// (binary-safe, so a password may hold any character); AUTH in the login hook; the goodbye is QUIT, answered +OK.
@UnplugPlugin(id = "redis", schemes = "redis", apiVersion = ApiVersion.CURRENT)
public final class RedisProvider implements UnplugProvider {

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE, Capability.AUTHENTICATION, Capability.COMMANDS);
    }

    @Override
    public Connection open(URI uri, Options options) {
        return new RedisConnection(SocketConnection.requireTarget(this, uri, options), options);
    }

    public static final class RedisConnection extends SocketConnection {
        RedisConnection(URI uri, Options options) {
            super("redis", uri, options, 6379, false);
        }

        static void send(Lines io, String... args) throws IOException {
            StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                int length = arg.getBytes(StandardCharsets.UTF_8).length;
                command.append('$').append(length).append("\r\n").append(arg).append("\r\n");
            }
            io.write(command.toString().getBytes(StandardCharsets.UTF_8));
        }

        // Called after connect when the URI (or option "user") names a user; the password comes from the URI's
        // user info or option "password". It goes to the wire only: never into a message, a log or an error.
        @Override
        protected void login(Lines io, String user, String password) throws IOException {
            send(io, "AUTH", user, password);
            String reply = io.readLine();
            if (!reply.startsWith("+")) {
                throw new UnplugException(ErrorKind.AUTHENTICATION_FAILED, "AUTH refused for user '" + user + "'",
                        null, -1, reply);
            }
        }

        public String ping() {
            return exchange("PING", io -> {
                send(io, "PING");
                return io.expect("+", "PING reply");
            });
        }

        @Override
        protected GoodbyeReply goodbye(Lines io) throws IOException {
            send(io, "QUIT");
            String answer = io.readLine();
            return GoodbyeReply.judged(answer.startsWith("+OK"), answer);
        }
    }
}
