package dev.unplug.testkit.frame;

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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

// A binary protocol on the SPI's socket base: frames of a 2-byte length and a payload; the server echoes each
// frame; the goodbye is the frame "BYE", answered with "BYE".
@UnplugPlugin(id = "echoframe", schemes = {"echoframe", "echoframes"}, apiVersion = ApiVersion.CURRENT)
public final class EchoFrameProvider implements UnplugProvider {
    static final byte[] BYE = "BYE".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE, Capability.COMMANDS);
    }

    @Override
    public Connection open(URI uri, Options options) {
        URI target = SocketConnection.requireTarget(this, uri, options);
        return new EchoFrameConnection(target, options, target.getScheme().endsWith("s"));
    }

    public static final class EchoFrameConnection extends SocketConnection {
        EchoFrameConnection(URI uri, Options options, boolean tls) {
            super("echoframe", uri, options, 7007, tls);
        }

        public byte[] echo(byte[] payload) {
            return exchange("ECHO", io -> {
                io.writeFrame(2, payload);
                return io.readFrame(2);
            });
        }

        @Override
        protected GoodbyeReply goodbye(Lines io) throws IOException {
            io.writeFrame(2, BYE);
            byte[] answer = io.readFrame(2);
            return GoodbyeReply.judged(Arrays.equals(answer, BYE), Lines.hex(answer));
        }
    }
}
