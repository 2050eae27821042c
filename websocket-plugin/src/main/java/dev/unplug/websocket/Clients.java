package dev.unplug.websocket;

import dev.unplug.spi.TlsSettings;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;

/**
 * The JDK HTTP clients the plugin's WebSockets are built on: one per TLS configuration, shared by every connection
 * (an {@link HttpClient} of JDK 17 has no close, and each one keeps a selector thread), on one executor of daemon
 * threads that end after 2 s idle. Thread-safe.
 */
final class Clients {

    private static final Map<String, HttpClient> CLIENTS = new ConcurrentHashMap<>();
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService EXECUTOR = executor();

    private Clients() {
    }

    static HttpClient forSettings(TlsSettings tls, boolean secure) {
        String key = secure ? tls.toString() : "plain";
        return CLIENTS.computeIfAbsent(key, k -> {
            HttpClient.Builder b = HttpClient.newBuilder().executor(EXECUTOR);
            if (secure) {
                b.sslContext(tls.context());
                SSLParameters p = new SSLParameters();
                p.setEndpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
                b.sslParameters(p);
            }
            return b.build();
        });
    }

    private static ExecutorService executor() {
        ThreadPoolExecutor e = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "unplug-websocket-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return e;
    }

}
