package dev.unplug.postgres;

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
import java.net.URI;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;
import org.postgresql.core.BaseConnection;

/**
 * PostgreSQL sessions on pgjdbc: {@code postgresql://[user[:password]@]host[:port][/dbname][?param=value...]}
 * (libpq's URI form; scheme {@code postgres} too; default port 5432, database the user's name). The plugin owns the
 * session's socket: a graceful disconnect sends Terminate and waits for the server to end the session (CLEAN), a
 * drop closes it at once; option {@code cancelOnDrop=true} then asks the server to cancel the query the session was
 * running. The application works through {@code connection.unwrap(java.sql.Connection.class)}. It also adopts an
 * open pgjdbc {@link java.sql.Connection} the application holds ({@code host.adopt(connection)}), one unwrapped
 * from a pool included. Cheap to construct; thread-safe.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "postgresql", schemes = {"postgresql", "postgres"}, apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PostgresProvider implements UnplugProvider {

    /** Cheap: no I/O, no threads, no driver registration. */
    public PostgresProvider() {
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE, Capability.COMMANDS, Capability.AUTHENTICATION,
                Capability.RESET_ON_DROP);
    }

    /**
     * A session to the URI's server; no I/O until {@code connect}.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT} for
     *         another scheme, no host, a path beyond the database, an unknown parameter or a bad value
     */
    @Override
    public Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes().contains(scheme)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the postgresql plugin serves postgresql:// and"
                    + " postgres:// URIs, not " + Redaction.text(uri));
        }
        Options all = PostgresUri.withLibpqTimeout(Options.fromUri(uri).with(options));
        PostgresUri parsed = PostgresUri.parse(uri, all);
        return new PostgresConnection(uri, all, parsed);
    }

    /**
     * Adopts an open pgjdbc connection (or any {@link java.sql.Connection} that unwraps to one, such as a pool's
     * proxy), connected and under the contract; null for anything else.
     */
    @Override
    public Connection adopt(Object client, Options options) {
        if (!(client instanceof java.sql.Connection c)) {
            return null;
        }
        BaseConnection pg;
        try {
            if (!c.isWrapperFor(BaseConnection.class)) {
                return null;
            }
            pg = c.unwrap(BaseConnection.class);
            if (pg.isClosed()) {
                throw new UnplugException(ErrorKind.INVALID_STATE, "the pgjdbc connection to adopt is closed");
            }
            AdoptedConnection adopted = new AdoptedConnection(AdoptedConnection.uriOf(pg), options, pg);
            adopted.connect();
            return adopted;
        } catch (SQLException e) {
            throw new UnplugException(ErrorKind.FAILED, "cannot adopt the pgjdbc connection: " + e.getMessage(), e);
        }
    }
}
