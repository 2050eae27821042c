package ${package};

import com.google.auto.service.AutoService;
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

/**
 * The {@code ${scheme}://host[:port]} plugin, and {@code ${scheme}s://} over implicit TLS: a line protocol whose
 * server greets with {@code +...}, answers {@code PING} with {@code +PONG} and {@code QUIT} with {@code +...}.
 * Replace the protocol facts in {@link ${name}Connection} with your protocol's; the TCK test says what the contract
 * still needs. TLS options ({@code tlsTrustStore}, {@code tlsVerifyHostname}) mean what they mean for every Unplug
 * plugin: the socket base reads them.
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "${scheme}", schemes = {"${scheme}", "${scheme}s"}, apiVersion = ApiVersion.CURRENT)
public final class ${name}Provider implements UnplugProvider {

    /** Cheap: no I/O, threads or native loading (the host may construct providers it never uses). */
    public ${name}Provider() {
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE, Capability.COMMANDS, Capability.TLS);
    }

    /** No I/O here: rejects nulls, other schemes and URIs without a host with a typed, redacted error. */
    @Override
    public Connection open(URI uri, Options options) {
        return new ${name}Connection(SocketConnection.requireTarget(this, uri, options), options);
    }

    /** One connection to a {@code ${scheme}} server. Thread-safe, as every {@link SocketConnection} is. */
    public static final class ${name}Connection extends SocketConnection {

        ${name}Connection(URI uri, Options options) {
            // default port ${port}; TLS from the first byte for ${scheme}s://
            super("${scheme}", uri, options, ${port}, uri.getScheme().equalsIgnoreCase("${scheme}s"));
        }

        /**
         * Asks the server for a {@code +PONG}: a command after connect, run through {@code exchange} so that it
         * never interleaves with the goodbye and its failures are typed.
         *
         * @return the server's answer
         */
        public String ping() {
            return exchange("PING", io -> {
                io.writeLine("PING");
                return io.readLine();
            });
        }

        @Override
        protected void greet(Lines io) throws IOException {
            io.expect("+", "greeting");
        }

        @Override
        protected GoodbyeReply goodbye(Lines io) throws IOException {
            io.writeLine("QUIT");
            String answer = io.readLine();
            return GoodbyeReply.judged(answer.startsWith("+"), answer);
        }
    }
}
