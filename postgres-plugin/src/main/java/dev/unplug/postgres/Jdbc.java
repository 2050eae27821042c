package dev.unplug.postgres;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.UnplugException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;

/**
 * The {@link Connection} an application gets from {@code unwrap(java.sql.Connection.class)}: pgjdbc's own, with
 * every round trip (a statement's execution, commit, rollback, a savepoint, {@code isValid}) run as one of the
 * Unplug connection's commands, so that it is {@code BUSY} meanwhile, a graceful disconnect waits for it (or refuses
 * with {@code BUSY}, as the caller's BusyPolicy says), and a drop wakes it with a connection exception
 * ({@link java.sql.SQLNonTransientConnectionException}, SQLSTATE 08006) whose message names what it was doing and
 * whose cause is Unplug's typed error. {@code close()} is Unplug's graceful {@code close()}; {@code abort} is a drop.
 * An SQL error (a syntax error, a constraint) is pgjdbc's own and leaves the session open. Thread-safe as pgjdbc is:
 * one statement at a time.
 */
final class Jdbc {

    private static final Set<String> ROUND_TRIPS = Set.of("commit", "rollback", "setSavepoint", "releaseSavepoint",
            "isValid");

    private Jdbc() {
    }

    /** The application's view of a session. */
    static Connection connection(Owner owner, Connection real) {
        return (Connection) Proxy.newProxyInstance(Jdbc.class.getClassLoader(), new Class<?>[] {Connection.class},
                new ConnectionHandler(owner, real));
    }

    /** What the proxies need of the Unplug connection. */
    interface Owner {
        <T> T run(String what, dev.unplug.spi.AbstractConnection.Command<T> work);

        ConnectionState state();

        void close();

        dev.unplug.api.DisconnectOutcome drop();

        /** What is in flight on the session (the application's view adds to it). */
        InFlight inFlight();
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private final Owner owner;
        private final Connection real;

        ConnectionHandler(Owner owner, Connection real) {
            this.owner = owner;
            this.real = real;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "close":
                    owner.close();
                    return null;
                case "abort":
                    if (owner.state() != ConnectionState.NOT_INITIALISED) {
                        owner.drop();
                    }
                    return null;
                case "isClosed":
                    return owner.state() == ConnectionState.DISCONNECTED || real.isClosed();
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "unplug postgresql session " + owner;
                case "unwrap":
                    if (args[0] == Connection.class) {
                        return proxy;
                    }
                    owner.inFlight().handedOut(); // pgjdbc's own: statements on it are not counted
                    return m.invoke(real, args);
                case "isWrapperFor":
                    return args[0] == Connection.class || (boolean) call(m, real, args);
                case "createStatement":
                case "prepareStatement":
                case "prepareCall": {
                    Statement s = (Statement) call(m, real, args);
                    String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                    return statement(owner, (Connection) proxy, s, sql);
                }
                default:
                    if (ROUND_TRIPS.contains(m.getName())) {
                        return command(owner, m.getName(), m, real, args);
                    }
                    return call(m, real, args);
            }
        }
    }

    private static Statement statement(Owner owner, Connection connection, Statement s, String sql) {
        Class<?> type = s instanceof CallableStatement ? CallableStatement.class
                : s instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return (Statement) Proxy.newProxyInstance(Jdbc.class.getClassLoader(), new Class<?>[] {type},
                (proxy, m, args) -> {
                    String name = m.getName();
                    if (name.startsWith("execute")) {
                        String text = args != null && args.length > 0 && args[0] instanceof String t ? t : sql;
                        return command(owner, name + " (" + keyword(text) + ")", m, s, args);
                    }
                    switch (name) {
                        case "getConnection":
                            return connection;
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "toString":
                            return "unplug postgresql statement (" + keyword(sql) + ")";
                        default:
                            return call(m, s, args);
                    }
                });
    }

    /** A round trip as a command of the Unplug connection; an SQL error stays pgjdbc's, the session open. */
    private static Object command(Owner owner, String what, Method m, Object target, Object[] args)
            throws SQLException {
        SQLException[] sqlError = new SQLException[1];
        Object result;
        try {
            result = owner.run(what, () -> {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    Throwable t = e.getCause();
                    if (t instanceof SQLException sql && !SqlErrors.endsSession(sql)) {
                        sqlError[0] = sql;
                        return null;
                    }
                    if (t instanceof Exception x) {
                        throw x;
                    }
                    throw e;
                }
            });
        } catch (UnplugException e) {
            throw SqlErrors.asSql(e);
        }
        if (sqlError[0] != null) {
            throw sqlError[0];
        }
        return result;
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The statement's first word only: SQL text may hold secrets ({@code ALTER ROLE ... PASSWORD}). */
    static String keyword(String sql) {
        if (sql == null) {
            return "batch";
        }
        String t = sql.stripLeading();
        int end = 0;
        while (end < t.length() && end < 16 && Character.isLetter(t.charAt(end))) {
            end++;
        }
        return end == 0 ? "statement" : t.substring(0, end).toUpperCase(Locale.ROOT);
    }
}
