package dev.unplug.mqtt;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.MqttSession;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connected Paho client the application made itself, adopted ({@code host.adopt(client)}): tracked by the host
 * and ended under the contract, but on a socket that is Paho's, not the plugin's. A graceful disconnect is Paho's
 * {@code disconnect} (DISCONNECT written, Paho's side closed), awaited within the deadline: CLEAN with a reason
 * saying the broker's close was not observed, ESCALATED when Paho has not finished by the deadline. A drop fails
 * every call waiting through the session at once and has Paho close its socket without DISCONNECT off the caller's
 * thread (Paho's forced disconnect blocks up to a second): the broker publishes the Will. The application's own
 * callback stays as it set it. Thread-safe.
 */
final class AdoptedMqtt extends AbstractConnection implements Session.Owner {

    private final Paho paho;
    private final Session session;

    AdoptedMqtt(URI uri, Options options, Paho paho) {
        super("mqtt", uri, options);
        this.paho = paho;
        this.session = new Session(paho, this);
    }

    /** {@code mqtt://host:port?clientId=...} of a Paho client, from its server URI. */
    static URI uriOf(Paho p) {
        URI server = URI.create(p.serverUri());
        String scheme = server.getScheme() != null && (server.getScheme().equals("ssl")
                || server.getScheme().equals("wss")) ? "mqtts" : "mqtt";
        try {
            return new URI(scheme, null, server.getHost(), server.getPort(), null, "clientId=" + p.clientId(), null);
        } catch (java.net.URISyntaxException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "cannot make a URI of Paho's server URI "
                    + p.serverUri(), e);
        }
    }

    @Override
    public <T> T run(String what, Command<T> work) {
        return command(what, work);
    }

    @Override
    public Duration readTimeout() {
        return options().readTimeout();
    }

    @Override
    public URI shownUri() {
        return uri();
    }

    @Override
    protected void openTransport(Duration connectTimeout) {
        if (!paho.isConnected()) {
            throw new UnplugException(ErrorKind.INVALID_STATE, "the Paho client to adopt for " + uri()
                    + " is not connected");
        }
        advance(ConnectionState.CONNECTED);
        advance(ConnectionState.AUTHENTICATED);
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        try {
            paho.disconnect(0x00).get(Math.max(1, remaining.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("Paho's disconnect() had not finished by the deadline");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        return GoodbyeReply.accepted("DISCONNECT sent by Paho's disconnect(); the broker's close was not observed"
                + " (an adopted client's socket is Paho's, closed by Paho after DISCONNECT)");
    }

    @Override
    protected void abortTransport(boolean reset) {
        session.end("the connection was dropped");
        cleanUpLater("Paho's forced disconnect for " + uri(), () -> {
            try {
                paho.disconnectForcibly();
            } catch (Exception ignored) {
                // already disconnected
            }
        });
    }

    @Override
    protected void releaseTransport() {
        session.end("the connection was disconnected");
    }

    @Override
    protected Object view(Class<?> type) {
        return type == MqttSession.class ? session : null;
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        return MqttErrors.isPahos(failure) ? MqttErrors.ofPaho(uri(), during, failure)
                : super.translate(failure, during);
    }
}
