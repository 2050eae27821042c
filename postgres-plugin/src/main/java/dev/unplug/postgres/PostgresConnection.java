package dev.unplug.postgres;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import dev.unplug.spi.OwnedSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.core.BaseConnection;

/**
 * One PostgreSQL session on pgjdbc, whose socket the plugin owns ({@link PostgresSockets}). Connect is pgjdbc's
 * (startup, authentication: SCRAM, md5, ...). A graceful disconnect lets pgjdbc send Terminate and then waits,
 * within the deadline, for the server to end the session: CLEAN when it does (PostgreSQL answers Terminate with
 * nothing but the end of the stream, so that end is the answer), ESCALATED at the deadline. A drop closes the
 * socket at once from any thread, sending nothing; with option {@value #CANCEL_ON_DROP} it then sends a
 * CancelRequest on a fresh socket (bounded by {@value #CANCEL_TIMEOUT_SECONDS} s, off the caller's thread), so
 * that the server stops the query the dropped session was running. The application works through
 * {@code unwrap(java.sql.Connection.class)}, whose statements run as the connection's commands. Thread-safe.
 */
final class PostgresConnection extends AbstractConnection implements Jdbc.Owner {

    static final String CANCEL_ON_DROP = "cancelOnDrop";
    static final int CANCEL_TIMEOUT_SECONDS = 2;

    private final String host;
    private final int port;
    private final String database;
    private final boolean cancelOnDrop;
    private final InFlight inFlight = new InFlight(false);
    private final Properties extra;
    private volatile OwnedSocket socket;
    private volatile BaseConnection pg;
    private volatile Connection jdbc;

    PostgresConnection(URI uri, Options options, PostgresUri parsed) {
        super("postgresql", uri, options);
        this.host = parsed.host();
        this.port = parsed.port();
        this.database = parsed.database();
        this.extra = parsed.driverProperties(options());
        this.cancelOnDrop = options().flag(CANCEL_ON_DROP, false);
    }

    // ------------------------------------------------------------------ for the socket factory and the proxies

    /** The session socket pgjdbc asks for first; a later call is a cancel request's, left to pgjdbc. */
    java.net.Socket newSocket() throws IOException {
        if (socket != null) {
            return new java.net.Socket();
        }
        OwnedSocket s = OwnedSocket.create();
        socket = s;
        if (state() == ConnectionState.DISCONNECTED) {
            s.abort(false); // dropped while pgjdbc was starting: never leave a socket behind
        }
        return s;
    }

    /** Runs JDBC work as one of this connection's commands (state BUSY; a disconnect waits for it). */
    @Override
    public InFlight inFlight() {
        return inFlight;
    }

    @Override
    public <T> T run(String what, Command<T> work) {
        return command(what, inFlight.counted(work));
    }

    // ------------------------------------------------------------------ the connection's hooks

    @Override
    protected void openTransport(Duration connectTimeout) throws Exception {
        Properties p = new Properties();
        p.putAll(extra);
        userName().ifPresent(u -> p.setProperty("user", u));
        password().ifPresent(pw -> p.setProperty("password", pw));
        String key = PostgresSockets.register(this);
        p.setProperty("socketFactory", PostgresSockets.class.getName());
        p.setProperty("socketFactoryArg", key);
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (connectTimeout.toMillis() + 999) / 1000));
        p.setProperty("connectTimeout", String.valueOf(seconds));
        p.setProperty("loginTimeout", String.valueOf(seconds));
        p.setProperty("socketTimeout", String.valueOf(Math.max(0, (options().readTimeout().toMillis() + 999) / 1000)));
        p.setProperty("cancelSignalTimeout", String.valueOf(CANCEL_TIMEOUT_SECONDS));
        String url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + database;
        try {
            Connection c = new org.postgresql.Driver().connect(url, p);
            if (c == null) {
                throw new UnplugException(ErrorKind.UNEXPECTED, "pgjdbc refused the URL made for " + uri());
            }
            pg = c.unwrap(BaseConnection.class);
            jdbc = Jdbc.connection(this, c);
        } catch (SQLException e) {
            throw SqlErrors.connect(uri(), e);
        } finally {
            PostgresSockets.unregister(key);
        }
        advance(ConnectionState.CONNECTED);
        advance(ConnectionState.AUTHENTICATED);
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        long until = System.nanoTime() + remaining.toNanos();
        sendTerminate();
        return readGoodbye(Duration.ofNanos(Math.max(1_000_000L, until - System.nanoTime())));
    }

    /** For a host ending many sessions at once: Terminate written, the server's end awaited later, by no thread. */
    @Override
    protected GoodbyeReply sendGoodbye(Duration remaining) throws Exception {
        sendTerminate();
        return null;
    }

    /** Whether the server has ended the session; never waits. */
    @Override
    protected boolean goodbyeAnswerReady() {
        OwnedSocket s = socket;
        return s == null || s.endArrived();
    }

    @Override
    protected GoodbyeReply readGoodbye(Duration remaining) throws Exception {
        long extra;
        try {
            extra = socket.awaitEnd(Math.max(1, remaining.toMillis()));
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("Terminate sent; the server did not end the session within the deadline");
        }
        return GoodbyeReply.accepted("Terminate sent; the server ended the session" + (extra == 0 ? ""
                : " (after " + extra + " more bytes)"));
    }

    /** pgjdbc writes Terminate, flushes and closes: its close held to a half-close, so the end can be awaited. */
    private void sendTerminate() throws Exception {
        OwnedSocket s = socket;
        s.holdCloseForGoodbye();
        pg.close();
        if (!s.closeAsked()) {
            throw new IOException("pgjdbc did not close the session after Terminate");
        }
    }

    @Override
    protected void abortTransport(boolean reset) {
        boolean inQuery = inFlight.any(); // before the abort wakes the statement's thread, which then leaves it
        OwnedSocket s = socket;
        if (s != null) {
            s.abort(reset);
        }
        BaseConnection c = pg;
        if (cancelOnDrop && c != null && inQuery && inFlight.cancelOnce()) {
            // a CancelRequest on a fresh socket, bounded by cancelSignalTimeout: never on this (deadline) thread
            cleanUpLater("CancelRequest for " + uri(), SqlErrors.cancelRequest(c, uri()));
        }
    }

    @Override
    protected void releaseTransport() {
        OwnedSocket s = socket;
        if (s != null) {
            s.abort(false);
        }
        BaseConnection c = pg;
        if (c != null) {
            try {
                c.getQueryExecutor().abort(); // marks pgjdbc's session closed, closes nothing more than we did
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    @Override
    protected Object view(Class<?> type) {
        return type == Connection.class ? jdbc : null;
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        if (failure instanceof SQLException e) {
            return SqlErrors.during(uri(), during, e);
        }
        return super.translate(failure, during);
    }
}
