package dev.unplug.core;

import dev.unplug.api.Redaction;
import java.util.ServiceConfigurationError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Failures and URI text in words, secrets masked. Stateless. */
final class Texts {

    private static final String SERVICE_PREFIX = dev.unplug.spi.UnplugProvider.class.getName() + ": ";
    /** {@code //user:password@} in text that may not parse as a URI: mask up to the last '@'. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@:]*:).*@");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "([?&;](?:[^=&#]*(?:password|secret|token)[^=&#]*|pass)=)[^&#]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern MISSING_PROVIDER = Pattern.compile("Provider (\\S+) not found");

    private Texts() {
    }

    /** A throwable as {@code SimpleName: message}, with the cause of a ServiceConfigurationError. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        if (t instanceof dev.unplug.api.UnplugException && m != null) {
            return m;
        }
        if (t instanceof ServiceConfigurationError) {
            String text = m == null ? "service configuration error" : m.replace(SERVICE_PREFIX, "");
            return t.getCause() == null ? text : text + " (" + describe(t.getCause()) + ")";
        }
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** The provider class named by a "Provider x not found" error, or null. */
    static String missingProvider(Throwable t) {
        Matcher m = MISSING_PROVIDER.matcher(String.valueOf(t.getMessage()));
        return m.find() ? m.group(1) : null;
    }

    /**
     * A URI for messages: {@link Redaction#text(java.net.URI)}, then the textual masking of {@link #redact(String)},
     * which also covers what the former leaves alone (a registry-based authority such as {@code user:pw@bad_host}).
     */
    static String shown(java.net.URI uri) {
        return redact(Redaction.text(uri));
    }

    /** URI text that may be malformed, with any password in its user info or query masked. */
    static String redact(String uriText) {
        String s = USER_INFO.matcher(uriText).replaceFirst("$1" + Matcher.quoteReplacement(Redaction.MASK) + "@");
        return SECRET_PARAM.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(Redaction.MASK));
    }
}
