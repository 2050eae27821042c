package dev.unplug.mqtt;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.Message;
import dev.unplug.api.message.MqttSession;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link MqttSession} over a {@link Paho} client, for an opened and an adopted connection alike. Each call is one of
 * the owner's commands; it waits for the broker on a future that {@link #end(String)} fails at once, so that a drop
 * wakes every waiting thread without depending on Paho's threads. Messages of subscriptions wait in an inbox of at
 * most {@value #INBOX} (the oldest discarded beyond). Thread-safe.
 */
final class Session implements MqttSession {

    static final int INBOX = 10_000;
    private static final System.Logger LOG = System.getLogger("dev.unplug.mqtt");
    private static final Object END = new Object();

    /** The connection a session belongs to. */
    interface Owner {
        <T> T run(String what, dev.unplug.spi.AbstractConnection.Command<T> work);

        Duration readTimeout();

        URI shownUri();
    }

    private final Paho paho;
    private final Owner owner;
    private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingDeque<Object> inbox = new LinkedBlockingDeque<>();
    private final AtomicLong discarded = new AtomicLong();
    private volatile String ended;

    Session(Paho paho, Owner owner) {
        this.paho = paho;
        this.owner = owner;
    }

    @Override
    public int protocolVersion() {
        return paho.version();
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retained) {
        UnplugException.requireNonNull(topic, "topic");
        UnplugException.requireNonNull(payload, "payload");
        checkQos(qos);
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a PUBLISH topic is not empty and has no"
                    + " wildcards: '" + topic + "'");
        }
        byte[] copy = payload.clone();
        owner.run("PUBLISH " + topic, () -> {
            int code = await(() -> paho.publish(topic, copy, qos, retained), "PUBLISH " + topic);
            if (code >= 0x80) {
                throw MqttErrors.of(owner.shownUri(), "PUBLISH " + topic, code,
                        new IOException("the broker refused the message"));
            }
            return null;
        });
    }

    @Override
    public int subscribe(String topicFilter, int qos) {
        UnplugException.requireNonNull(topicFilter, "topicFilter");
        checkQos(qos);
        if (topicFilter.isEmpty()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a SUBSCRIBE topic filter is not empty");
        }
        return owner.run("SUBSCRIBE " + topicFilter, () -> {
            int granted = await(() -> paho.subscribe(topicFilter, qos, this::arrived), "SUBSCRIBE " + topicFilter);
            if (granted >= 0x80) {
                UnplugException refused = MqttErrors.of(owner.shownUri(), "SUBSCRIBE " + topicFilter, granted,
                        new IOException("the broker refused the subscription"));
                throw new UnplugException(ErrorKind.ACCESS_DENIED, refused.getMessage(), refused.getCause(), granted,
                        refused.serverReply().orElse(null));
            }
            return granted;
        });
    }

    @Override
    public Optional<Message> receive(Duration timeout) {
        UnplugException.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a receive timeout is not negative: " + timeout);
        }
        long millis = Math.min(timeout.toMillis(), dev.unplug.api.Options.MAX_DURATION.toMillis());
        return owner.run("receive", () -> {
            Object next = inbox.pollFirst(millis, TimeUnit.MILLISECONDS);
            if (next == END) {
                inbox.offerFirst(END); // for the next receiver too
                throw new IOException("the session ended: " + ended);
            }
            return Optional.ofNullable((Message) next);
        });
    }

    /** Fails every waiting call and wakes every receiver; idempotent. */
    void end(String why) {
        if (ended == null) {
            ended = why;
        }
        IOException e = new IOException(why);
        for (CompletableFuture<?> f : waiting) {
            f.completeExceptionally(e);
        }
        inbox.offerFirst(END);
    }

    private void arrived(Message m) {
        if (ended != null) {
            return;
        }
        while (inbox.size() >= INBOX) {
            if (inbox.pollLast() != null && discarded.incrementAndGet() % 1000 == 1) {
                LOG.log(System.Logger.Level.WARNING, "mqtt session on " + owner.shownUri() + ": more than " + INBOX
                        + " messages unread; " + discarded.get() + " discarded so far, the oldest first");
            }
        }
        inbox.offerLast(m);
    }

    /**
     * Starts a call and waits for its future, within the read timeout; a drop fails it at once. What Paho refuses
     * before anything is sent (a bad topic, too many messages in flight) is a typed error that leaves the session
     * as it was.
     */
    private <T> T await(Callable<CompletableFuture<T>> call, String what) throws Exception {
        if (ended != null) {
            throw new IOException("the session ended: " + ended);
        }
        CompletableFuture<T> future;
        try {
            future = call.call();
        } catch (IllegalArgumentException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, what + " on " + owner.shownUri() + ": "
                    + e.getMessage(), e);
        } catch (Exception e) {
            if (Paho.reasonCode(e) < 0 || ended != null) {
                throw e;
            }
            throw MqttErrors.ofPaho(owner.shownUri(), what, e);
        }
        waiting.add(future);
        try {
            if (ended != null) {
                throw new IOException("the session ended: " + ended);
            }
            Duration limit = owner.readTimeout();
            return future.get(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException(what + ": no answer from the broker within the read timeout");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (ended != null) {
                throw new IOException("the session ended: " + ended, cause);
            }
            throw MqttErrors.ofPaho(owner.shownUri(), what, cause);
        } finally {
            waiting.remove(future);
        }
    }

    private static void checkQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "qos must be 0, 1 or 2, not " + qos);
        }
    }
}
