package dev.unplug.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real servers that {@code scripts/servers.sh start} runs on 127.0.0.1, with the URIs the tests use.
 * {@link #require()} skips a test when its server is not running, or fails it when {@code CI=true}: in CI the
 * interop suite never skips.
 */
enum Server {
    SMTP("OpenSMTPD", 10025, "smtp://127.0.0.1:10025"),
    IMAP("Dovecot IMAP", 10143, "imap://alice:secret@127.0.0.1:10143"),
    POP3("Dovecot POP3", 10110, "pop3://alice:secret@127.0.0.1:10110"),
    NNTP("INN", 10119, "nntp://127.0.0.1:10119"),
    POSTGRES("PostgreSQL", 10432, "postgresql://unplug:unplug-pw@127.0.0.1:10432/unplug"),
    MQTT("Mosquitto", 11883, "mqtt://unplug:unplug-mqtt-pw@127.0.0.1:11883"),
    MQTTS("Mosquitto TLS", 18883, "mqtts://unplug:unplug-mqtt-pw@127.0.0.1:18883"),
    WEBSOCKET("websocketd", 10080, "ws://127.0.0.1:10080/echo"),
    WEBSOCKET_TLS("websocketd TLS", 10443, "wss://127.0.0.1:10443/echo");

    private final String label;
    private final int port;
    private final URI uri;

    Server(String label, int port, String uri) {
        this.label = label;
        this.port = port;
        this.uri = URI.create(uri);
    }

    URI uri() {
        return uri;
    }

    int port() {
        return port;
    }

    /** Whether the interop suite runs in CI, where a missing server is a failure rather than a reason to skip. */
    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the calling test (fails it in CI) unless this server accepts a TCP connection within 2 s. */
    void require() {
        String problem = null;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        } catch (IOException e) {
            problem = "server " + label + " not running on 127.0.0.1:" + port + ": run scripts/servers.sh start ("
                    + e.getMessage() + ")";
        }
        if (problem != null) {
            if (inCi()) {
                Assertions.fail(problem);
            }
            Assumptions.abort(problem);
        }
    }
}
