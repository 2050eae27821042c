package dev.unplug.websocket;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.TlsSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A WebSocket URI and its options, checked without I/O: {@code ws://host[:port]/path[?query]} or {@code wss://}.
 * User info is sent as HTTP Basic authentication in the handshake (use {@code wss}: on {@code ws} it crosses the
 * network readable). The URI's query goes to the server except for the plugin's options, which are taken out of it:
 * {@value #CLOSE_STATUS} (default 1000; 1000-4999 but for the reserved 1004-1006, 1015 and the unassigned 1012-2999
 * of RFC 6455's registry that no endpoint may send, see {@link #checkStatus}), {@value #CLOSE_REASON} (UTF-8, at most
 * 123 bytes), {@value #SUBPROTOCOL} (comma-separated, asked for in order), TLS's and Unplug's standard options.
 * Immutable.
 */
record WsSettings(URI target, String host, TlsSettings tls, int closeStatus, String closeReason,
        List<String> subprotocols) {

    static final String CLOSE_STATUS = "closeStatus";
    static final String CLOSE_REASON = "closeReason";
    static final String SUBPROTOCOL = "subprotocol";
    static final Set<String> OURS = Set.of(CLOSE_STATUS, CLOSE_REASON, SUBPROTOCOL, TlsSettings.TRUST_STORE,
            TlsSettings.TRUST_STORE_PASSWORD, TlsSettings.VERIFY_HOSTNAME, Options.CONNECT_TIMEOUT,
            Options.READ_TIMEOUT, Options.DISCONNECT_DEADLINE, Options.RESET_ON_DROP, Options.MAX_REPLY_SIZE,
            Options.USER, Options.PASSWORD);

    static WsSettings parse(URI uri, Options options) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String h = uri.getHost();
        if (uri.isOpaque() || h == null || h.isEmpty() || uri.getPort() > 65535 || uri.getFragment() != null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "WebSocket URIs are " + scheme
                    + "://[user[:password]@]host[:port][/path][?query] (a host, no fragment), not "
                    + Redaction.text(uri));
        }
        int status = status(options.get(CLOSE_STATUS).orElse("1000"));
        String reason = options.get(CLOSE_REASON).orElse("");
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, CLOSE_REASON + " is at most 123 bytes of UTF-8 (RFC"
                    + " 6455 5.5: a control frame carries at most 125), not " + reason.getBytes(StandardCharsets.UTF_8)
                    .length);
        }
        List<String> protocols = options.get(SUBPROTOCOL).map(p -> List.of(p.split(",")).stream().map(String::strip)
                .filter(x -> !x.isEmpty()).toList()).orElse(List.of());
        for (String p : protocols) {
            if (!p.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, SUBPROTOCOL + " names are HTTP tokens, not '"
                        + p + "'");
            }
        }
        TlsSettings tls = TlsSettings.from(options, scheme.equals("wss"));
        String host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        return new WsSettings(serverUri(uri), host, tls, status, reason, protocols);
    }

    /** The URI sent to the server: the plugin's own options taken out of the query. */
    private static URI serverUri(URI uri) {
        String query = uri.getRawQuery();
        StringBuilder kept = new StringBuilder();
        if (query != null) {
            for (String pair : query.split("&")) {
                String name = java.net.URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                if (!OURS.contains(name) && !pair.isEmpty()) {
                    kept.append(kept.length() == 0 ? "" : "&").append(pair);
                }
            }
        }
        try {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String host = uri.getHost();
            return new URI(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + host + (uri.getPort() < 0 ? ""
                    : ":" + uri.getPort()) + path
                    + (kept.length() == 0 ? "" : "?" + kept));
        } catch (URISyntaxException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "not a WebSocket URI: " + Redaction.text(uri), e);
        }
    }

    static int status(String text) {
        int s;
        try {
            s = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, CLOSE_STATUS + " is a number, not '" + text + "'");
        }
        checkStatus(s);
        return s;
    }

    /**
     * A close status an endpoint may send (RFC 6455 7.4): 1000-1003, 1007-1011, or 3000-4999 (registered and
     * private use); 1004-1006 and 1015 are reserved (never sent), 1012-2999 are not for applications to send.
     */
    static void checkStatus(int s) {
        boolean ok = (s >= 1000 && s <= 1003) || (s >= 1007 && s <= 1011) || (s >= 3000 && s <= 4999);
        if (!ok) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, CLOSE_STATUS + " must be 1000-1003, 1007-1011 or"
                    + " 3000-4999 (RFC 6455 7.4; 1004-1006 and 1015 are reserved), not " + s);
        }
    }

    static Set<String> known() {
        return new TreeSet<>(OURS);
    }
}
