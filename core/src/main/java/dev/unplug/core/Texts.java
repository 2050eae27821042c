package dev.unplug.core;

import dev.unplug.api.Redaction;
import java.util.ServiceConfigurationError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Failures and URI text in words, secrets masked. Stateless. */
final class Texts {

    private static final String SERVICE_PREFIX = dev.unplug.spi.UnplugProvider.class.getName() + ": ";
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

    /** A URI for messages, secrets masked ({@link Redaction#text(java.net.URI)}). */
    static String shown(java.net.URI uri) {
        return Redaction.text(uri);
    }

    /** URI text that may be malformed, secrets masked ({@link Redaction#text(String)}). */
    static String redact(String uriText) {
        return Redaction.text(uriText);
    }
}
