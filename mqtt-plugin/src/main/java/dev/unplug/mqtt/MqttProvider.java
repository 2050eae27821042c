package dev.unplug.mqtt;

import com.google.auto.service.AutoService;
import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * MQTT sessions on Eclipse Paho: {@code mqtt://[user[:password]@]host[:port][?option=value...]} and {@code mqtts://}
 * (TLS), MQTT 3.1.1 (the default) or 5 (option {@code protocolVersion=5}); the options are listed in the README.
 * The plugin owns the session's socket: a graceful disconnect sends DISCONNECT and waits for the broker to close
 * the connection (CLEAN; the broker discards the Last Will), a drop closes it at once (the broker publishes the
 * Will). The application publishes and subscribes through
 * {@code connection.unwrap(dev.unplug.api.message.MqttSession.class)}. It also adopts a connected Paho client the
 * application holds ({@code host.adopt(client)}: mqttv3's or mqttv5's {@code MqttAsyncClient} or
 * {@code MqttClient}). Cheap to construct; thread-safe.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "mqtt", schemes = {"mqtt", "mqtts"}, apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class MqttProvider implements UnplugProvider {

    /** Cheap: no I/O, no threads. */
    public MqttProvider() {
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE, Capability.COMMANDS, Capability.AUTHENTICATION,
                Capability.RESET_ON_DROP);
    }

    /**
     * A session to the URI's broker; no I/O until {@code connect}.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT} for
     *         another scheme, no host, a path, an unknown option or a bad value
     */
    @Override
    public Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes().contains(scheme)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the mqtt plugin serves mqtt:// and mqtts:// URIs,"
                    + " not " + Redaction.text(uri));
        }
        Options all = Options.fromUri(uri).with(options);
        return new MqttConnection(uri, all, MqttSettings.parse(uri, all));
    }

    /**
     * Adopts a connected Paho client (mqttv3's or mqttv5's {@code MqttAsyncClient}, or the {@code MqttClient} that
     * wraps one), connected and under the contract; null for anything else.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_STATE} when the client is not connected
     */
    @Override
    public Connection adopt(Object client, Options options) {
        Paho paho = paho(client);
        if (paho == null) {
            return null;
        }
        AdoptedMqtt adopted = new AdoptedMqtt(AdoptedMqtt.uriOf(paho), options, paho);
        adopted.connect();
        return adopted;
    }

    private static Paho paho(Object client) {
        if (client instanceof org.eclipse.paho.client.mqttv3.MqttAsyncClient c) {
            return new PahoV3(c);
        }
        if (client instanceof org.eclipse.paho.mqttv5.client.MqttAsyncClient c) {
            return new PahoV5(c);
        }
        if (client instanceof org.eclipse.paho.client.mqttv3.MqttClient c) {
            return new PahoV3((org.eclipse.paho.client.mqttv3.MqttAsyncClient) wrapped(c,
                    org.eclipse.paho.client.mqttv3.MqttClient.class));
        }
        if (client instanceof org.eclipse.paho.mqttv5.client.MqttClient c) {
            return new PahoV5((org.eclipse.paho.mqttv5.client.MqttAsyncClient) wrapped(c,
                    org.eclipse.paho.mqttv5.client.MqttClient.class));
        }
        return null;
    }

    /** The asynchronous client a Paho {@code MqttClient} wraps (its field {@code aClient}; Paho offers no getter). */
    private static Object wrapped(Object client, Class<?> type) {
        try {
            Field f = type.getDeclaredField("aClient");
            f.setAccessible(true);
            return f.get(client);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnplugException(ErrorKind.NOT_SUPPORTED, "cannot adopt this " + type.getName() + " (its"
                    + " asynchronous client is out of reach: " + e + "); adopt the MqttAsyncClient instead", e);
        }
    }
}
