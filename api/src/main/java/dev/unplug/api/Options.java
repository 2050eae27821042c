package dev.unplug.api;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Settings for opening a connection, as text keys and values, with typed getters and finite defaults.
 * Values given here override the same names in the URI's query. Secret values (names containing
 * {@code password}, {@code secret} or {@code token}) never appear in {@link #toString()}.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()} or {@link #of(Map)}.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Options {

    /** Time allowed to open the socket and finish the greeting, TLS and login. Default {@value #DEFAULT_CONNECT}. */
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    /** Time allowed for any one read. Default {@value #DEFAULT_READ}. */
    public static final String READ_TIMEOUT = "readTimeout";
    /** Default deadline of a graceful disconnect. Default {@value #DEFAULT_DISCONNECT}. */
    public static final String DISCONNECT_DEADLINE = "disconnectDeadline";
    /** User name; the URI's user info is used when absent. */
    public static final String USER = "user";
    /** Password; the URI's user info is used when absent. Never shown. */
    public static final String PASSWORD = "password";
    /** Whether to upgrade with STARTTLS where the protocol has it ({@code true}/{@code false}). */
    public static final String STARTTLS = "starttls";
    /** Whether a drop resets the connection (SO_LINGER 0) instead of a plain close. Default false. */
    public static final String RESET_ON_DROP = "resetOnDrop";
    /**
     * The most bytes a server may send in answer to one command (a reply line, a multi-line reply, an article),
     * such as {@code 65536}, {@code 512k} or {@code 64m}; past it the command fails and the connection ends, so
     * a hostile server cannot grow the client's memory without bound. Default {@value #DEFAULT_MAX_REPLY}.
     */
    public static final String MAX_REPLY_SIZE = "maxReplySize";

    /** Default connect timeout, as text. */
    public static final String DEFAULT_CONNECT = "10s";
    /** Default read timeout, as text. */
    public static final String DEFAULT_READ = "30s";
    /** Default graceful disconnect deadline, as text. */
    public static final String DEFAULT_DISCONNECT = "2s";
    /** Default reply budget, as text: 64 MiB. */
    public static final String DEFAULT_MAX_REPLY = "64m";

    /**
     * The longest duration Unplug accepts anywhere (options, deadlines, builder settings): one day. Longer
     * values are refused with {@link ErrorKind#INVALID_ARGUMENT} before anything changes, so that no deadline
     * can overflow a clock reading ({@link System#nanoTime()} plus a duration) or a socket timeout.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    private static final Options EMPTY = new Options(Map.of());
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([kmg]?)");

    private final Map<String, String> values;
    /** The three timeouts, parsed at their first use (a connection reads them on every command); benign races. */
    private volatile Duration connectTimeout;
    private volatile Duration readTimeout;
    private volatile Duration disconnectDeadline;

    private Options(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** No options: every default applies. */
    public static Options empty() {
        return EMPTY;
    }

    /**
     * Options from a map.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for a null map, key or value
     */
    public static Options of(Map<String, String> values) {
        Builder b = builder();
        UnplugException.requireNonNull(values, "options").forEach(b::set);
        return b.build();
    }

    /**
     * The options a URI carries, as a connection uses them: its user info as {@value #USER} and
     * {@value #PASSWORD}, then its query parameters (a name without {@code =} is {@code true}; later ones win).
     * Names and values are percent-decoded as RFC 3986 says, in UTF-8: {@code %2B} is a plus and a plain
     * {@code +} stays a plus (it is not a space, as it would be in an HTML form).
     *
     * @param uri the URI
     * @return its options, empty when it has neither user info nor query
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null
     */
    public static Options fromUri(URI uri) {
        UnplugException.requireNonNull(uri, "uri");
        Builder b = builder();
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            b.set(USER, decode(colon < 0 ? info : info.substring(0, colon)));
            if (colon >= 0) {
                b.set(PASSWORD, decode(info.substring(colon + 1)));
            }
        }
        String q = uri.getRawQuery();
        if (q != null) {
            for (String part : q.split("&")) {
                int eq = part.indexOf('=');
                String k = decode(eq < 0 ? part : part.substring(0, eq));
                if (!k.isBlank()) {
                    b.set(k, eq < 0 ? "true" : decode(part.substring(eq + 1)));
                }
            }
        }
        return b.build();
    }

    /** Percent-decodes URI text as RFC 3986 says (UTF-8, '+' stays '+'); a malformed escape is kept as written. */
    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c);
            i++;
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** A builder for options. */
    public static Builder builder() {
        return new Builder();
    }

    /** The raw value of an option. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(UnplugException.requireNonNull(name, "name")));
    }

    /** Every option, read-only. Contains secrets: do not log it. */
    public Map<String, String> asMap() {
        return values;
    }

    /**
     * A duration option, such as {@code 300ms}, {@code 2s}, {@code 1m} or ISO-8601 {@code PT2S}.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when the value is not a positive duration of at
     *         most {@link #MAX_DURATION}
     */
    public Duration duration(String name, Duration defaultValue) {
        return get(name).map(v -> parseDuration(name, v)).orElse(defaultValue);
    }

    /**
     * A boolean option ({@code true}/{@code false}, case-insensitive).
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for any other value
     */
    public boolean flag(String name, boolean defaultValue) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String s = v.get().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw new UnplugException(ErrorKind.INVALID_ARGUMENT,
                "option " + name + " must be true or false, not '" + shown(name, v.get()) + "'");
    }

    /**
     * A size option in bytes: a whole number, optionally with {@code k}, {@code m} or {@code g} (binary: 1024,
     * 1024², 1024³), such as {@code 65536}, {@code 512k} or {@code 64m}.
     *
     * @param name the option
     * @param defaultBytes the value when the option is absent
     * @return the size, positive
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when the value is not a positive size of at most
     *         {@code 1024g}
     */
    public long size(String name, long defaultBytes) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return defaultBytes;
        }
        Matcher m = SIZE.matcher(v.get().trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            int shift = switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            if (n > 0 && n <= (1024L << 30) >> shift) {
                return n << shift;
            }
        }
        throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option " + name + " must be a positive size such as"
                + " 65536, 512k or 64m (at most 1024g), not '" + shown(name, v.get()) + "'");
    }

    /** The reply budget in bytes, {@value #DEFAULT_MAX_REPLY} unless set. */
    public long maxReplySize() {
        return size(MAX_REPLY_SIZE, 64L << 20);
    }

    /** The connect timeout, {@value #DEFAULT_CONNECT} unless set. */
    public Duration connectTimeout() {
        Duration d = connectTimeout;
        if (d == null) {
            d = duration(CONNECT_TIMEOUT, Defaults.CONNECT);
            connectTimeout = d;
        }
        return d;
    }

    /** The read timeout, {@value #DEFAULT_READ} unless set. */
    public Duration readTimeout() {
        Duration d = readTimeout;
        if (d == null) {
            d = duration(READ_TIMEOUT, Defaults.READ);
            readTimeout = d;
        }
        return d;
    }

    /** The default graceful disconnect deadline, {@value #DEFAULT_DISCONNECT} unless set. */
    public Duration disconnectDeadline() {
        Duration d = disconnectDeadline;
        if (d == null) {
            d = duration(DISCONNECT_DEADLINE, Defaults.DISCONNECT);
            disconnectDeadline = d;
        }
        return d;
    }

    /**
     * Options with the given ones laid over these (the given ones win).
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null
     */
    public Options with(Options overrides) {
        UnplugException.requireNonNull(overrides, "overrides");
        if (overrides.values.isEmpty()) {
            return this; // immutable: sharing is safe, and each connection no longer copies an empty map
        }
        if (values.isEmpty()) {
            return overrides;
        }
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides.values);
        return new Options(merged);
    }

    /**
     * Parses a duration: a whole number with unit {@code ms}, {@code s}, {@code m} or {@code h} (bare numbers
     * are milliseconds), or ISO-8601 such as {@code PT2S}.
     *
     * @param what what the duration is for, used in the message
     * @param text the text
     * @return a positive duration of at most {@link #MAX_DURATION}
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when the text is not a positive duration or is
     *         longer than {@link #MAX_DURATION},
     *         {@link ErrorKind#NULL_ARGUMENT} when null
     */
    public static Duration parseDuration(String what, String text) {
        UnplugException.requireNonNull(text, what == null ? "duration" : what);
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d = null;
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "ms" : m.group(2);
                d = switch (unit) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofMillis(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                d = null;
            }
        } else if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                d = Duration.parse(text.trim());
            } catch (RuntimeException e) {
                d = null;
            }
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, (what == null ? "duration" : what)
                    + " must be a positive duration such as 300ms, 2s or 1m, not '" + text + "'");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw tooLong(what, "'" + text + "'");
        }
        return d;
    }

    /**
     * Checks a duration given to the API: not null, positive, at most {@link #MAX_DURATION}.
     *
     * @param what what the duration is for, used in the message
     * @param value the duration
     * @return the duration
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null, {@link ErrorKind#INVALID_ARGUMENT} when
     *         zero, negative or longer than {@link #MAX_DURATION}
     */
    public static Duration requireDuration(String what, Duration value) {
        String name = what == null ? "duration" : what;
        UnplugException.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, name + " must be positive, not " + value);
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw tooLong(name, value.toString());
        }
        return value;
    }

    private static UnplugException tooLong(String what, String shown) {
        return new UnplugException(ErrorKind.INVALID_ARGUMENT, (what == null ? "duration" : what)
                + " must be at most " + MAX_DURATION.toHours() + "h (Options.MAX_DURATION), not " + shown);
    }

    private static String shown(String name, String value) {
        return Redaction.isSecretName(name) ? Redaction.MASK : value;
    }

    /** The options with secret values masked. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        values.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(k).append('=').append(shown(k, v)));
        return s.append('}').toString();
    }

    /** The default timeouts, parsed once (a holder: parseDuration needs the class's patterns first). */
    private static final class Defaults {
        static final Duration CONNECT = parseDuration(CONNECT_TIMEOUT, DEFAULT_CONNECT);
        static final Duration READ = parseDuration(READ_TIMEOUT, DEFAULT_READ);
        static final Duration DISCONNECT = parseDuration(DISCONNECT_DEADLINE, DEFAULT_DISCONNECT);
    }

    /** Builds {@link Options}. Not thread-safe. */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets an option.
         *
         * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for a null name or value,
         *         {@link ErrorKind#INVALID_ARGUMENT} for a blank name
         */
        public Builder set(String name, String value) {
            UnplugException.requireNonNull(name, "option name");
            UnplugException.requireNonNull(value, "value of option " + name);
            if (name.isBlank()) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option name must not be blank");
            }
            values.put(name, value);
            return this;
        }

        /**
         * Sets a duration option in milliseconds.
         *
         * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for a null name or value,
         *         {@link ErrorKind#INVALID_ARGUMENT} for a duration that is not positive or longer than
         *         {@link #MAX_DURATION}
         */
        public Builder set(String name, Duration value) {
            UnplugException.requireNonNull(name, "option name");
            return set(name, requireDuration("option " + name, value).toMillis() + "ms");
        }

        /** Sets a boolean option. */
        public Builder set(String name, boolean value) {
            return set(name, Boolean.toString(value));
        }

        /** The options. */
        public Options build() {
            return values.isEmpty() ? EMPTY : new Options(values);
        }
    }
}
