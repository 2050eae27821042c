package dev.unplug.spi;

import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a connection goes and with what settings: the real URI (secret), the URI as shown (password masked), the
 * options (URI query parameters overridden by the provider's options) and the credentials. Immutable.
 */
final class ConnectionTarget {

    final URI uri;
    final URI shown;
    final Options options;

    ConnectionTarget(URI uri, Options options) {
        this.uri = UnplugException.requireNonNull(uri, "uri");
        this.shown = Redaction.uri(uri);
        this.options = queryOptions(uri).with(UnplugException.requireNonNull(options, "options"));
        // fail fast on malformed timeouts, before any I/O
        this.options.connectTimeout();
        this.options.readTimeout();
        this.options.disconnectDeadline();
        this.options.flag(Options.RESET_ON_DROP, false);
    }

    Optional<String> userName() {
        Optional<String> fromOptions = options.get(Options.USER);
        if (fromOptions.isPresent()) {
            return fromOptions;
        }
        String info = uri.getRawUserInfo();
        if (info == null || info.isEmpty()) {
            return Optional.empty();
        }
        int colon = info.indexOf(':');
        return Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
    }

    Optional<String> password() {
        Optional<String> fromOptions = options.get(Options.PASSWORD);
        if (fromOptions.isPresent()) {
            return fromOptions;
        }
        String info = uri.getRawUserInfo();
        if (info == null || info.indexOf(':') < 0) {
            return Optional.empty();
        }
        return Optional.of(decode(info.substring(info.indexOf(':') + 1)));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static Options queryOptions(URI uri) {
        String q = uri.getRawQuery();
        if (q == null || q.isEmpty()) {
            return Options.empty();
        }
        Options.Builder b = Options.builder();
        for (String part : q.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "true" : decode(part.substring(eq + 1));
            if (!k.isBlank()) {
                b.set(k, v);
            }
        }
        return b.build();
    }
}
