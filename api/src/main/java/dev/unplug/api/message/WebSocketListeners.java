package dev.unplug.api.message;

import dev.unplug.api.UnplugException;
import java.lang.ref.WeakReference;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionStage;
import org.apiguardian.api.API;

/**
 * For an application that builds its own {@link WebSocket} and wants Unplug to end it
 * ({@code host.adopt(webSocket)}): the JDK delivers the server's close frame only to the application's
 * {@link WebSocket.Listener}, so the application installs {@link #observed(WebSocket.Listener)} around its own when
 * it builds the socket; the adopted connection then reads the server's close status from it. Without it an adopted
 * WebSocket still ends under the contract, but its outcome can say only that the server's close arrived, not with
 * which status. Thread-safe.
 *
 * <pre>{@code
 * WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
 *         .buildAsync(uri, WebSocketListeners.observed(myListener)).join();
 * Connection c = host.adopt(ws);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class WebSocketListeners {

    /** Weak both ways: the WebSocket holds its listener strongly, the map holds neither. */
    private static final Map<WebSocket, WeakReference<Observed>> OBSERVED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private WebSocketListeners() {
    }

    /**
     * The application's listener, every call passed on unchanged, with the server's close recorded for Unplug.
     *
     * @param application the application's listener
     * @return the listener to build the WebSocket with
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for null
     */
    public static WebSocket.Listener observed(WebSocket.Listener application) {
        UnplugException.requireNonNull(application, "application listener");
        return new Observed(application);
    }

    /**
     * The server's close status on a WebSocket built with an {@link #observed} listener, once its close frame
     * arrived.
     *
     * @param socket the WebSocket
     * @return the status, or empty when none arrived yet or the WebSocket was not built with an observed listener
     */
    public static OptionalInt serverCloseStatus(WebSocket socket) {
        Observed o = find(socket);
        return o == null || o.status < 0 ? OptionalInt.empty() : OptionalInt.of(o.status);
    }

    /**
     * The reason of the server's close, as {@link #serverCloseStatus(WebSocket)}.
     *
     * @param socket the WebSocket
     * @return the reason (possibly empty), or empty when no close was observed
     */
    public static Optional<String> serverCloseReason(WebSocket socket) {
        Observed o = find(socket);
        return o == null || o.status < 0 ? Optional.empty() : Optional.of(o.reason);
    }

    /**
     * Whether the WebSocket was built with an {@link #observed} listener.
     *
     * @param socket the WebSocket
     * @return true when its close is observed
     */
    public static boolean isObserved(WebSocket socket) {
        return find(socket) != null;
    }

    private static Observed find(WebSocket socket) {
        WeakReference<Observed> r = socket == null ? null : OBSERVED.get(socket);
        return r == null ? null : r.get();
    }

    private static final class Observed implements WebSocket.Listener {
        private final WebSocket.Listener application;
        private volatile int status = -1;
        private volatile String reason = "";

        Observed(WebSocket.Listener application) {
            this.application = application;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            OBSERVED.put(webSocket, new WeakReference<>(this));
            application.onOpen(webSocket);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            return application.onText(webSocket, data, last);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            return application.onBinary(webSocket, data, last);
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            return application.onPing(webSocket, message);
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            return application.onPong(webSocket, message);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String why) {
            reason = why == null ? "" : why;
            status = statusCode;
            return application.onClose(webSocket, statusCode, why);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            application.onError(webSocket, error);
        }
    }
}
