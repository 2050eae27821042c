package dev.unplug.postgres;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import java.net.URI;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A PostgreSQL URI in libpq's form, {@code postgresql://[user[:password]@]host[:port][/dbname][?param=value&...]}
 * (scheme {@code postgres} too), checked without I/O. Parameters: libpq's {@code sslmode},
 * {@code application_name} and {@code connect_timeout} (seconds), the plugin's {@value PostgresConnection#CANCEL_ON_DROP},
 * and Unplug's standard options; anything else is refused with the list of what is known. Immutable.
 */
record PostgresUri(String host, int port, String database) {

    static final int DEFAULT_PORT = 5432;
    static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    static final Set<String> KNOWN = Set.of("sslmode", "application_name", "connect_timeout",
            PostgresConnection.CANCEL_ON_DROP, Options.CONNECT_TIMEOUT, Options.READ_TIMEOUT,
            Options.DISCONNECT_DEADLINE, Options.USER, Options.PASSWORD, Options.RESET_ON_DROP);

    static PostgresUri parse(URI uri, Options options) {
        String h = uri.getHost();
        if (uri.isOpaque() || h == null || h.isEmpty() || uri.getPort() > 65535) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "postgresql URIs are postgresql://[user[:password]@]"
                    + "host[:port][/dbname][?param=value...] (a host is required: the plugin speaks TCP), not "
                    + Redaction.text(uri));
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.contains("/")) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a postgresql URI names one database after the"
                    + " host, not a path: " + Redaction.text(uri));
        }
        Set<String> unknown = new TreeSet<>(options.asMap().keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "unknown postgresql option(s) " + unknown + " in "
                    + Redaction.text(uri) + "; known: " + new TreeSet<>(KNOWN));
        }
        String sslmode = options.get("sslmode").orElse(null);
        if (sslmode != null && !SSL_MODES.contains(sslmode.toLowerCase(Locale.ROOT))) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "sslmode must be one of " + new TreeSet<>(SSL_MODES)
                    + ", not '" + sslmode + "'");
        }
        String user = options.get(Options.USER).orElse(uri.getUserInfo() == null ? null
                : uri.getUserInfo().split(":", 2)[0]);
        String database = !path.isEmpty() ? path : user != null && !user.isEmpty() ? user : "postgres";
        String host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        return new PostgresUri(host, uri.getPort() >= 0 ? uri.getPort() : DEFAULT_PORT, database);
    }

    /**
     * libpq's {@code connect_timeout} (seconds) as Unplug's {@code connectTimeout}, unless that is given too.
     *
     * @throws UnplugException INVALID_ARGUMENT for a value that is not a whole number of seconds
     */
    static Options withLibpqTimeout(Options options) {
        return options.get("connect_timeout").filter(t -> options.get(Options.CONNECT_TIMEOUT).isEmpty())
                .map(t -> {
                    if (!t.strip().matches("[0-9]{1,6}") || Integer.parseInt(t.strip()) == 0) {
                        throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "connect_timeout is a positive"
                                + " number of seconds, not '" + t + "'");
                    }
                    return options.with(Options.builder().set(Options.CONNECT_TIMEOUT, t.strip() + "s").build());
                }).orElse(options);
    }

    /** pgjdbc's properties for the libpq parameters (never the user or password: the connection adds those). */
    Properties driverProperties(Options options) {
        Properties p = new Properties();
        p.setProperty("ApplicationName", options.get("application_name").orElse("unplug"));
        p.setProperty("tcpKeepAlive", "true");
        options.get("sslmode").ifPresent(m -> p.setProperty("sslmode", m.toLowerCase(Locale.ROOT)));
        return p;
    }
}
