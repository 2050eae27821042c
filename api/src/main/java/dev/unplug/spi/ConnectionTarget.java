package dev.unplug.spi;

import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import java.net.URI;
import java.util.Optional;

/**
 * Where a connection goes and with what settings: the real URI (secret), the URI as shown (password masked), the
 * options (URI query parameters overridden by the provider's options) and the credentials. Immutable.
 */
final class ConnectionTarget {

    final URI uri;
    final URI shown;
    final Options options;
    /** Option {@link Options#RESET_ON_DROP}, read once: a drop does not parse it. */
    final boolean resetOnDrop;

    ConnectionTarget(URI uri, Options options) {
        this.uri = UnplugException.requireNonNull(uri, "uri");
        this.shown = Redaction.uri(uri);
        // user info, then the query, then the options given: later ones win; decoded once, as Redaction sees them
        this.options = Options.fromUri(uri).with(UnplugException.requireNonNull(options, "options"));
        // fail fast on malformed timeouts, before any I/O
        this.options.connectTimeout();
        this.options.readTimeout();
        this.options.disconnectDeadline();
        this.resetOnDrop = this.options.flag(Options.RESET_ON_DROP, false);
        this.options.maxReplySize();
    }

    Optional<String> userName() {
        return options.get(Options.USER);
    }

    Optional<String> password() {
        return options.get(Options.PASSWORD);
    }
}
