package dev.unplug.testkit.nntp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * A small NNTP server (RFC 3977, AUTHINFO USER/PASS of RFC 4643) in the JVM, on the loopback interface, for
 * tests and demos: no installation, articles kept in memory per group.
 *
 * <p>It answers {@code CAPABILITIES}, {@code MODE READER}, {@code AUTHINFO USER/PASS}, {@code GROUP},
 * {@code LISTGROUP}, {@code LIST [ACTIVE|NEWSGROUPS] [wildmat]}, {@code ARTICLE}/{@code HEAD}/{@code BODY}/
 * {@code STAT} (by number or message-id), {@code NEXT}, {@code LAST}, {@code POST} (assigning article numbers
 * and a {@code Message-ID} when the article has none), {@code DATE}, {@code HELP} and {@code QUIT} ({@code 205}).
 * Started in {@linkplain Builder#transitMode(boolean) transit mode}, it behaves like INN towards a local client:
 * reader commands are refused with {@code 502} until the client sends {@code MODE READER}. With
 * {@linkplain Builder#credentials(String, String) credentials} configured, reader commands need
 * {@code AUTHINFO} first ({@code 480}); a wrong password gets {@code 481}.
 *
 * <p>Every connection is recorded as an {@link NntpSessionRecord}: each command line received (passwords
 * masked) and whether the session ended with {@code QUIT} or without it, so a test can show from the server's
 * side that a graceful disconnect said goodbye and a drop did not.
 *
 * <pre>{@code
 * try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test").transitMode(true).start()) {
 *     URI target = server.uri();                        // nntp://127.0.0.1:<port>
 *     ...
 *     NntpSessionRecord session = server.awaitSession(1, Duration.ofSeconds(5)).orElseThrow();
 *     session.awaitEnd(Duration.ofSeconds(5));           // Optional[QUIT]
 * }
 * }</pre>
 *
 * <p>Threads: one acceptor and at most {@link Builder#maxConnections(int)} session workers, all daemon threads;
 * a connection beyond that is answered {@code 400} and closed. {@link #close()} closes every socket and joins
 * every thread. Each session ends after {@link Builder#idleTimeout(Duration)} without a command.
 *
 * <p>Thread-safe. Errors: {@link Builder#start()} raises {@link UncheckedIOException} when the port cannot be bound;
 * builder methods raise {@link IllegalArgumentException} or {@link NullPointerException} for bad values.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class EmbeddedNntpServer implements AutoCloseable {

    /** Loopback only: the server never listens on another interface. */
    public static final String HOST = "127.0.0.1";

    /** What a session handler needs to know of the configuration. */
    record Settings(boolean transitMode, boolean postingAllowed, String user, String password, Duration idleTimeout,
            String hostName) {
    }

    private final Settings settings;
    private final NewsStore store;
    private final ServerSocket listener;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final List<NntpSessionRecord> sessions = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> started = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean closing;

    private EmbeddedNntpServer(Builder b) throws IOException {
        this.settings = new Settings(b.transitMode, b.postingAllowed, b.user, b.password, b.idleTimeout, b.hostName);
        this.store = new NewsStore(b.hostName);
        b.groups.forEach(store::addGroup);
        this.listener = new ServerSocket();
        try {
            listener.bind(new InetSocketAddress(InetAddress.getByName(HOST), b.port), 50);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        int port = listener.getLocalPort();
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(b.maxConnections, b.maxConnections, 1, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = daemon(r, "unplug-nntp-" + port + "-session-" + threads.incrementAndGet());
                    started.removeIf(old -> !old.isAlive());
                    started.add(t);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        this.acceptor = daemon(this::acceptLoop, "unplug-nntp-" + port + "-accept");
        acceptor.start();
    }

    /** A builder with the defaults: any free port, reader mode, posting allowed, no credentials, no groups. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code nntp://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("nntp://" + HOST + ":" + port());
    }

    /** Creates a newsgroup (no-op when it exists). */
    public void addGroup(String name) {
        store.addGroup(Builder.checkGroup(name));
    }

    /**
     * Stores an article as if it had been posted, for tests that read.
     *
     * @param article the whole article, header lines, a blank line and the body, lines separated by LF or CRLF;
     *        its {@code Newsgroups} header must name an existing group
     * @return the article's message-id
     * @throws IllegalArgumentException when the article is malformed or names no existing group
     */
    public String addArticle(String article) {
        NewsStore.PostResult r = store.post(List.of(Objects.requireNonNull(article, "article").split("\r?\n", -1)));
        if (!r.accepted()) {
            throw new IllegalArgumentException("article rejected: " + r.error());
        }
        return r.messageId();
    }

    /** The number of articles in a group, or -1 when there is no such group. */
    public int articleCount(String group) {
        return store.range(group).map(NewsStore.Range::count).orElse(-1);
    }

    /** The whole text of an article by message-id, lines joined with LF, as ARTICLE would send it. */
    public Optional<String> article(String messageId) {
        return store.byMessageId(messageId).map(a -> String.join("\n", a.all()));
    }

    /** Every session so far, in the order they were accepted. */
    public List<NntpSessionRecord> sessions() {
        synchronized (sessions) {
            return List.copyOf(sessions);
        }
    }

    /**
     * Waits until the {@code n}-th connection (from 1) has been accepted.
     *
     * @return its record, or empty when fewer connections arrived within {@code timeout}
     * @throws InterruptedException when interrupted
     */
    public Optional<NntpSessionRecord> awaitSession(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (sessions) {
            while (sessions.size() < n) {
                long left = end - System.nanoTime();
                if (left <= 0 || closing) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(sessions, left);
            }
            return Optional.of(sessions.get(n - 1));
        }
    }

    /** Closes the listener and every client socket, and joins every thread (a few seconds at most). Idempotent. */
    @Override
    public void close() {
        closing = true;
        closeQuietly(listener);
        open.forEach(EmbeddedNntpServer::closeQuietly);
        workers.shutdownNow();
        try {
            acceptor.join(5_000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
            for (Thread t : started) {
                t.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (sessions) {
            sessions.notifyAll();
        }
    }

    /** The address, the mode and the number of sessions; never a password. */
    @Override
    public String toString() {
        return "EmbeddedNntpServer[" + uri() + (settings.transitMode() ? ", transit mode" : "")
                + (settings.user() != null ? ", authentication required" : "") + ", " + sessions().size()
                + " sessions" + (closing ? ", closed" : "") + "]";
    }

    private void acceptLoop() {
        while (!closing) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closing || listener.isClosed()) {
                    return;
                }
                continue;
            }
            NntpSessionRecord record = new NntpSessionRecord(counter.incrementAndGet(),
                    client.getInetAddress().getHostAddress() + ":" + client.getPort());
            synchronized (sessions) {
                sessions.add(record);
                sessions.notifyAll();
            }
            serve(client, record);
        }
    }

    private void serve(Socket client, NntpSessionRecord record) {
        open.add(client);
        try {
            NntpSessionHandler handler = new NntpSessionHandler(client, store, record, settings, () -> closing);
            workers.execute(() -> {
                try {
                    handler.run();
                } finally {
                    open.remove(client);
                }
            });
        } catch (IOException | RejectedExecutionException e) {
            record.end(NntpSessionRecord.Ending.SERVER_CLOSED);
            turnAway(client, e instanceof RejectedExecutionException);
            open.remove(client);
        }
        if (closing) {
            closeQuietly(client);
        }
    }

    private static void turnAway(Socket client, boolean busy) {
        try (client) {
            if (busy) {
                client.setSoTimeout(1_000);
                client.getOutputStream().write("400 too many connections, try later\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException ignored) {
            // the client goes away either way
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing
        }
    }

    /** Configures an {@link EmbeddedNntpServer}. Not thread-safe. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public static final class Builder {
        private int port;
        private boolean transitMode;
        private boolean postingAllowed = true;
        private String user;
        private String password;
        private int maxConnections = 16;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private String hostName = "unplug.test";
        private final List<String> groups = new ArrayList<>();

        private Builder() {
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /** Start in transit mode, so that a reader must send {@code MODE READER} first (as INN does). */
        public Builder transitMode(boolean transitMode) {
            this.transitMode = transitMode;
            return this;
        }

        /** Whether {@code POST} is allowed (default true); when not, the greeting is 201 and POST gets 440. */
        public Builder postingAllowed(boolean postingAllowed) {
            this.postingAllowed = postingAllowed;
            return this;
        }

        /** Require {@code AUTHINFO USER/PASS} with these credentials before reader commands. */
        public Builder credentials(String user, String password) {
            this.user = requireText(user, "user");
            this.password = requireText(password, "password");
            return this;
        }

        /** Creates newsgroups. */
        public Builder group(String... names) {
            for (String n : Objects.requireNonNull(names, "names")) {
                groups.add(checkGroup(n));
            }
            return this;
        }

        /** How many sessions may be served at once (default 16); further connections get {@code 400}. */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1 || maxConnections > 256) {
                throw new IllegalArgumentException("maxConnections must be 1..256, not " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** How long a session may stay silent before the server closes it (default 60 s). */
        public Builder idleTimeout(Duration idleTimeout) {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, not " + idleTimeout);
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** The name the server gives itself in greetings and generated message-ids (default unplug.test). */
        public Builder hostName(String hostName) {
            this.hostName = requireText(hostName, "hostName");
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws UncheckedIOException when the port cannot be bound
         */
        public EmbeddedNntpServer start() {
            try {
                return new EmbeddedNntpServer(this);
            } catch (SocketException e) {
                throw new UncheckedIOException("cannot listen on " + HOST + ":" + port + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the NNTP server on " + HOST + ":" + port, e);
            }
        }

        static String checkGroup(String name) {
            requireText(name, "group name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9.+_-]*")) {
                throw new IllegalArgumentException("not a newsgroup name: '" + name + "'");
            }
            return name;
        }

        private static String requireText(String s, String what) {
            Objects.requireNonNull(s, what);
            if (s.isBlank() || s.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException(what + " must be non-blank text without control characters");
            }
            return s;
        }
    }
}
