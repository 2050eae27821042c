package dev.unplug.postgres;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import javax.net.ssl.SSLException;

/** pgjdbc's SQLExceptions as Unplug's typed errors, and back for a JDBC caller. Stateless. */
final class SqlErrors {

    private SqlErrors() {
    }

    /** A failed connect: the kind from the SQLSTATE and the cause, the server's message kept. */
    static UnplugException connect(URI shown, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        ErrorKind kind;
        if (state.startsWith("28")) {
            kind = ErrorKind.AUTHENTICATION_FAILED;          // 28P01 wrong password, 28000 no such role / no entry
        } else if (state.equals("53300")) {
            kind = ErrorKind.OUT_OF_RESOURCES;               // too many connections
        } else if (state.equals("3D000")) {
            kind = ErrorKind.INVALID_ARGUMENT;               // no such database
        } else if (state.equals("08P01")) {
            kind = ErrorKind.MALFORMED_REPLY;                // protocol violation
        } else if (has(e, SocketTimeoutException.class)) {
            kind = ErrorKind.TIMEOUT;
        } else if (has(e, UnknownHostException.class)) {
            kind = ErrorKind.HOST_NOT_FOUND;
        } else if (has(e, SSLException.class)) {
            kind = ErrorKind.SECURE_CONNECT_FAILED;
        } else if (has(e, ConnectException.class) || state.startsWith("08")) {
            kind = ErrorKind.CONNECT_FAILED;
        } else {
            kind = ErrorKind.FAILED;
        }
        String what = firstLine(e.getMessage());
        return new UnplugException(kind, "postgresql connect to " + shown + " failed: " + what
                + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"), e, -1, state.isEmpty() ? what : state + " "
                + what);
    }

    /** A statement or call that failed in a way that ended the session (see {@link #endsSession}). */
    static UnplugException during(URI shown, String during, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        ErrorKind kind = has(e, SocketTimeoutException.class) ? ErrorKind.TIMEOUT
                : state.startsWith("08") ? ErrorKind.SOCKET_ERROR : ErrorKind.FAILED;
        String what = firstLine(e.getMessage());
        return new UnplugException(kind, "postgresql " + during + " on " + shown + " failed: " + what
                + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"), e, -1, state.isEmpty() ? what : state + " "
                + what);
    }

    /** Whether an error means the session is gone: a connection exception (08) or the server shutting down (57P). */
    static boolean endsSession(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    /** Unplug's error for a JDBC caller: a connection exception (08003, or 08006 for a drop) with it as the cause. */
    static SQLException asSql(UnplugException e) {
        return new SQLNonTransientConnectionException(e.getMessage(),
                e.kind() == ErrorKind.CONNECTION_DROPPED ? "08006" : "08003", e);
    }

    /**
     * A CancelRequest with the session's backend key, on a fresh socket, bounded by pgjdbc's cancelSignalTimeout: for
     * a clean-up thread after a drop ({@code cancelOnDrop}); a failure is typed, for the clean-up's log.
     */
    static Runnable cancelRequest(org.postgresql.core.BaseConnection pg, URI shown) {
        return () -> {
            try {
                pg.getQueryExecutor().sendQueryCancel();
            } catch (SQLException e) {
                throw new UnplugException(ErrorKind.FAILED, "the CancelRequest for " + shown + " failed: "
                        + e.getMessage(), e);
            }
        };
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
