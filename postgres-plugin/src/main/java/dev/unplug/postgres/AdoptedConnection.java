package dev.unplug.postgres;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.postgresql.core.BaseConnection;

/**
 * A pgjdbc connection the application opened itself, adopted ({@code host.adopt(connection)}): tracked by the host
 * and ended under the contract, but on a socket that is pgjdbc's, not the plugin's. So a graceful disconnect is
 * pgjdbc's {@code close()} (Terminate written, the socket closed at once): CLEAN with a reason that says the
 * server's end of the session was not observed; a drop is pgjdbc's abort of its socket (nothing sent), with option
 * {@value PostgresConnection#CANCEL_ON_DROP} honoured. Statements run through {@code unwrap(java.sql.Connection)}
 * are tracked as commands; what the application runs on its own reference is not seen. Thread-safe.
 */
final class AdoptedConnection extends AbstractConnection implements Jdbc.Owner {

    private final BaseConnection pg;
    private final Connection jdbc;
    private final boolean cancelOnDrop;
    private final InFlight inFlight = new InFlight(true);

    AdoptedConnection(URI uri, Options options, BaseConnection pg) {
        super("postgresql", uri, options);
        this.pg = pg;
        this.jdbc = Jdbc.connection(this, pg);
        this.cancelOnDrop = options().flag(PostgresConnection.CANCEL_ON_DROP, false);
    }

    /** The URI of an open pgjdbc connection, without any password: {@code postgresql://user@host:port/db}. */
    static URI uriOf(BaseConnection pg) throws SQLException {
        String url = pg.getMetaData().getURL(); // jdbc:postgresql://host:port/db?... (cached: no I/O)
        String rest = url.startsWith("jdbc:") ? url.substring(5) : url;
        int q = rest.indexOf('?');
        URI u = URI.create(q < 0 ? rest : rest.substring(0, q));
        try {
            return new URI("postgresql", pg.getMetaData().getUserName(), u.getHost(), u.getPort(), u.getPath(), null, null);
        } catch (java.net.URISyntaxException e) {
            throw new SQLException("cannot make a URI of " + rest, e);
        }
    }

    @Override
    public InFlight inFlight() {
        return inFlight;
    }

    @Override
    public <T> T run(String what, Command<T> work) {
        return command(what, inFlight.counted(work));
    }

    @Override
    protected void openTransport(Duration connectTimeout) throws Exception {
        if (pg.isClosed()) {
            throw new UnplugException(ErrorKind.INVALID_STATE, "the pgjdbc connection to adopt for " + uri()
                    + " is closed");
        }
        advance(ConnectionState.CONNECTED);
        advance(ConnectionState.AUTHENTICATED);
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        pg.close();
        return GoodbyeReply.accepted("Terminate sent by pgjdbc's close(); the server's end of the session was not"
                + " observed (an adopted connection's socket is pgjdbc's, closed at once after Terminate)");
    }

    @Override
    protected void abortTransport(boolean reset) {
        pg.getQueryExecutor().abort(); // closes pgjdbc's socket at once, sending nothing
        if (cancelOnDrop && inFlight.any() && inFlight.cancelOnce()) {
            cleanUpLater("CancelRequest for " + uri(), SqlErrors.cancelRequest(pg, uri()));
        }
    }

    @Override
    protected void releaseTransport() {
        pg.getQueryExecutor().abort();
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
