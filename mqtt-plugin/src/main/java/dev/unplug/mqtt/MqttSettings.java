package dev.unplug.mqtt;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.TlsSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An MQTT URI and its options, checked without I/O: {@code mqtt://[user[:password]@]host[:port][?option=value...]}
 * ({@code mqtts} for TLS; default ports 1883 and 8883). Options: {@value #CLIENT_ID} (default {@code unplug-} and
 * 12 random hex digits), {@value #CLEAN_SESSION} (default true; MQTT 5's clean start), {@value #KEEP_ALIVE}
 * (seconds, default 60, 0 = none), {@value #WILL_TOPIC}, {@value #WILL_PAYLOAD}, {@value #WILL_QOS} (0-2, default
 * 0), {@value #WILL_RETAIN} (default false), {@value #PROTOCOL_VERSION} ({@code 3.1.1} (the default) or {@code 5}),
 * {@value #DISCONNECT_WITH_WILL} (MQTT 5 only), TLS's and Unplug's standard options; anything else is refused with
 * the list of what is known. Immutable.
 */
record MqttSettings(String host, int port, TlsSettings tls, String clientId, boolean cleanSession, int keepAlive,
        Optional<Will> will, int version, boolean disconnectWithWill) {

    static final String CLIENT_ID = "clientId";
    static final String CLEAN_SESSION = "cleanSession";
    static final String KEEP_ALIVE = "keepAlive";
    static final String WILL_TOPIC = "willTopic";
    static final String WILL_PAYLOAD = "willPayload";
    static final String WILL_QOS = "willQos";
    static final String WILL_RETAIN = "willRetain";
    static final String PROTOCOL_VERSION = "protocolVersion";
    static final String DISCONNECT_WITH_WILL = "disconnectWithWill";
    static final Set<String> KNOWN = Set.of(CLIENT_ID, CLEAN_SESSION, KEEP_ALIVE, WILL_TOPIC, WILL_PAYLOAD,
            WILL_QOS, WILL_RETAIN, PROTOCOL_VERSION, DISCONNECT_WITH_WILL, TlsSettings.TRUST_STORE,
            TlsSettings.TRUST_STORE_PASSWORD, TlsSettings.VERIFY_HOSTNAME, Options.CONNECT_TIMEOUT,
            Options.READ_TIMEOUT, Options.DISCONNECT_DEADLINE, Options.USER, Options.PASSWORD, Options.RESET_ON_DROP,
            Options.MAX_REPLY_SIZE);

    /** The Last Will: published by the broker when the session ends without a DISCONNECT (or with reason 0x04). */
    record Will(String topic, byte[] payload, int qos, boolean retain) {
    }

    static MqttSettings parse(URI uri, Options options) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String h = uri.getHost();
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (uri.isOpaque() || h == null || h.isEmpty() || uri.getPort() > 65535 || !(path.isEmpty()
                || path.equals("/")) || uri.getFragment() != null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "MQTT URIs are " + scheme
                    + "://[user[:password]@]host[:port][?option=value...] (a host, no path), not " + Redaction.text(uri));
        }
        Set<String> unknown = new TreeSet<>(options.asMap().keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "unknown mqtt option(s) " + unknown + " in "
                    + Redaction.text(uri) + "; known: " + new TreeSet<>(KNOWN));
        }
        boolean secure = scheme.equals("mqtts");
        TlsSettings tls = TlsSettings.from(options, secure);
        String version = options.get(PROTOCOL_VERSION).orElse("3.1.1").strip();
        int level = switch (version) {
            case "3.1.1", "4" -> 4;
            case "5", "5.0" -> 5;
            default -> throw new UnplugException(ErrorKind.INVALID_ARGUMENT, PROTOCOL_VERSION
                    + " must be 3.1.1 or 5, not '" + version + "'");
        };
        String clientId = options.get(CLIENT_ID).orElseGet(
                () -> "unplug-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        if (clientId.getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, CLIENT_ID + " is longer than MQTT allows");
        }
        int keepAlive = number(options, KEEP_ALIVE, 60, 0, 65535);
        Optional<Will> will = Optional.empty();
        Optional<String> willTopic = options.get(WILL_TOPIC);
        if (willTopic.isPresent()) {
            String t = willTopic.get();
            if (t.isEmpty() || t.contains("+") || t.contains("#")) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, WILL_TOPIC
                        + " must be a topic without wildcards, not '" + t + "'");
            }
            will = Optional.of(new Will(t, options.get(WILL_PAYLOAD).orElse("").getBytes(StandardCharsets.UTF_8),
                    number(options, WILL_QOS, 0, 0, 2), options.flag(WILL_RETAIN, false)));
        } else if (options.get(WILL_PAYLOAD).isPresent() || options.get(WILL_QOS).isPresent()
                || options.get(WILL_RETAIN).isPresent()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, WILL_PAYLOAD + ", " + WILL_QOS + " and "
                    + WILL_RETAIN + " need " + WILL_TOPIC);
        }
        boolean withWill = options.flag(DISCONNECT_WITH_WILL, false);
        if (withWill && level != 5) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, DISCONNECT_WITH_WILL
                    + " needs MQTT 5 (protocolVersion=5): MQTT 3.1.1's DISCONNECT always discards the Will");
        }
        String host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 8883 : 1883;
        return new MqttSettings(host, port, tls, clientId, options.flag(CLEAN_SESSION, true), keepAlive, will, level,
                withWill);
    }

    /** Paho's server URI: always {@code tcp://}, since the plugin's own socket layers any TLS itself. */
    String serverUri() {
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static int number(Options options, String name, int defaultValue, int min, int max) {
        Optional<String> text = options.get(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String t = text.get().strip();
        if (!t.matches("[0-9]{1,6}") || Integer.parseInt(t) < min || Integer.parseInt(t) > max) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, name + " must be a whole number from " + min + " to "
                    + max + ", not '" + text.get() + "'");
        }
        return Integer.parseInt(t);
    }

    /** Never the Will's payload (it may be private) nor any password. */
    @Override
    public String toString() {
        return "MqttSettings[" + host + ":" + port + ", MQTT " + (version == 5 ? "5" : "3.1.1") + ", clientId="
                + clientId + ", cleanSession=" + cleanSession + ", keepAlive=" + keepAlive + "s"
                + will.map(w -> ", will on " + w.topic()).orElse("") + ", " + tls + "]";
    }
}
