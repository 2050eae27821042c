package dev.unplug.websocket;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.WebSocketMessage;
import dev.unplug.api.message.WebSocketSession;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link WebSocketSession} over a JDK {@link WebSocket}: each call is one of the connection's commands; a receive
 * waits on an inbox that {@link #end(IOException)} wakes at once, so that a drop or the server's close releases
 * every waiting thread. Messages wait in the inbox, at most {@value #INBOX} (the oldest discarded beyond).
 * Thread-safe.
 */
final class WsSession implements WebSocketSession {

    static final int INBOX = 10_000;
    private static final Object END = new Object();

    /** The connection a session belongs to. */
    interface Owner {
        <T> T run(String what, dev.unplug.spi.AbstractConnection.Command<T> work);

        Duration readTimeout();

        WebSocket socket();
    }

    private final Owner owner;
    private final LinkedBlockingDeque<Object> inbox = new LinkedBlockingDeque<>();
    private volatile IOException ended;
    private volatile String subprotocol = "";

    WsSession(Owner owner) {
        this.owner = owner;
    }

    void subprotocol(String agreed) {
        subprotocol = agreed == null ? "" : agreed;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public void sendText(String text) {
        UnplugException.requireNonNull(text, "text");
        owner.run("send text", () -> await(owner.socket().sendText(text, true), "send text"));
    }

    @Override
    public void sendBinary(byte[] data) {
        UnplugException.requireNonNull(data, "data");
        ByteBuffer copy = ByteBuffer.wrap(data.clone());
        owner.run("send binary", () -> await(owner.socket().sendBinary(copy, true), "send binary"));
    }

    @Override
    public Optional<WebSocketMessage> receive(Duration timeout) {
        UnplugException.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a receive timeout is not negative: " + timeout);
        }
        long millis = Math.min(timeout.toMillis(), Options.MAX_DURATION.toMillis());
        return owner.run("receive", () -> {
            Object next = inbox.pollFirst(millis, TimeUnit.MILLISECONDS);
            if (next == END) {
                inbox.offerFirst(END); // for the next receiver too
                throw ended;
            }
            return Optional.ofNullable((WebSocketMessage) next);
        });
    }

    void arrived(WebSocketMessage m) {
        if (ended != null) {
            return; // after the end: nothing more is received
        }
        while (inbox.size() >= INBOX) {
            inbox.pollLast();
        }
        inbox.offerLast(m);
    }

    /**
     * Ends the session for every caller, waiting or to come; the first reason stays. Idempotent.
     *
     * @param why the error later calls raise
     * @param discard true for a drop (what is unread is gone with it); false when the server ended the session, whose
     *        messages that arrived before its end are still received first
     */
    void end(IOException why, boolean discard) {
        if (ended == null) {
            ended = why;
        }
        if (discard) {
            inbox.offerFirst(END);
        } else {
            inbox.offerLast(END);
        }
    }

    boolean isEnded() {
        return ended != null;
    }

    private Object await(CompletableFuture<?> sent, String what) throws Exception {
        IOException e = ended;
        if (e != null) {
            throw e;
        }
        try {
            return sent.get(Math.max(1, owner.readTimeout().toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException t) {
            throw new SocketTimeoutException(what + ": not written within the read timeout");
        } catch (ExecutionException x) {
            throw x.getCause() instanceof Exception c ? c : x;
        }
    }
}
