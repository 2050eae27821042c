package dev.unplug.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Keeps secrets out of logs, messages, events, {@code toString} and command-line output. It sees a URI as a
 * connection will use it ({@link Options#fromUri(URI)}): the password of the user info, and the value of every
 * query parameter whose name, once percent-decoded, is a secret one ({@link #isSecretName(String)}), are replaced
 * with {@value #MASK}. It works on text too, so that a URI that does not parse, or an opaque one such as
 * {@code smtp:bob:pw@host}, is masked the same way.
 *
 * <p>Plugins use it for anything that may hold a URI: {@code Redaction.text(uri)} in every message.
 * Stateless and thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Redaction {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    private Redaction() {
    }

    /**
     * The URI with its secrets masked: {@code imap://alice:secret@host} becomes {@code imap://alice:***@host},
     * {@code smtp://h?pass%77ord=x} becomes {@code smtp://h?pass%77ord=***}.
     *
     * @param uri any URI, may be null
     * @return the masked URI (the same object when it holds no secret), or null for null
     */
    public static URI uri(URI uri) {
        if (uri == null) {
            return null;
        }
        String raw = uri.toString();
        String masked = text(raw);
        if (masked.equals(raw)) {
            return uri;
        }
        try {
            return new URI(masked);
        } catch (URISyntaxException e) {
            return URI.create(uri.getScheme() == null ? "redacted" : uri.getScheme() + ":redacted");
        }
    }

    /**
     * The URI as text with its secrets masked.
     *
     * @param uri any URI, may be null
     * @return the masked text, or {@code "null"}
     */
    public static String text(URI uri) {
        return uri == null ? "null" : text(uri.toString());
    }

    /**
     * URI text, which may not parse, with its secrets masked: the password of anything that looks like user
     * information ({@code user:password@}, with or without {@code //}) and the values of secret query parameters.
     *
     * @param uriText any text meant as a URI, may be null
     * @return the masked text, or {@code "null"}
     */
    public static String text(String uriText) {
        if (uriText == null) {
            return "null";
        }
        int hash = uriText.indexOf('#');
        String beforeFragment = hash < 0 ? uriText : uriText.substring(0, hash);
        String fragment = hash < 0 ? "" : uriText.substring(hash);
        int q = beforeFragment.indexOf('?');
        String head = q < 0 ? beforeFragment : beforeFragment.substring(0, q);
        String query = q < 0 ? null : beforeFragment.substring(q + 1);
        Span info = userInfo(uriText, head);
        StringBuilder s = new StringBuilder();
        if (info != null && info.colon >= 0) {
            s.append(head, 0, info.colon + 1).append(MASK).append(head, info.end, head.length());
        } else {
            s.append(head);
        }
        if (query != null) {
            s.append('?').append(maskQuery(query));
        }
        return s.append(fragment).toString();
    }

    /**
     * Every secret that URI text carries, as given and percent-decoded: the user info's password and the values
     * of secret query parameters. For scrubbing output that may repeat a secret in any form.
     *
     * @param uriText any text meant as a URI, may be null
     * @return the secrets, empty when none
     */
    public static Set<String> secrets(String uriText) {
        Set<String> found = new LinkedHashSet<>();
        if (uriText == null) {
            return found;
        }
        int hash = uriText.indexOf('#');
        String beforeFragment = hash < 0 ? uriText : uriText.substring(0, hash);
        int q = beforeFragment.indexOf('?');
        String head = q < 0 ? beforeFragment : beforeFragment.substring(0, q);
        Span info = userInfo(uriText, head);
        if (info != null && info.colon >= 0) {
            addSecret(found, head.substring(info.colon + 1, info.end));
        }
        if (q >= 0) {
            for (String part : beforeFragment.substring(q + 1).split("[&;]", -1)) {
                int eq = part.indexOf('=');
                if (eq > 0 && isSecretName(Options.decode(part.substring(0, eq)))) {
                    addSecret(found, part.substring(eq + 1));
                }
            }
        }
        return found;
    }

    /**
     * Whether an option or parameter name is one whose value must never be shown: it contains {@code password},
     * {@code passwd}, {@code secret} or {@code token}, or is {@code pass} or {@code pwd}, in any case.
     *
     * @param name a decoded name, may be null
     * @return whether its value is a secret
     */
    public static boolean isSecretName(String name) {
        if (name == null) {
            return false;
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.contains("password") || n.contains("passwd") || n.contains("secret") || n.contains("token")
                || n.equals("pass") || n.equals("pwd");
    }

    private static void addSecret(Set<String> found, String raw) {
        if (!raw.isEmpty()) {
            found.add(raw);
            found.add(Options.decode(raw));
        }
    }

    /** Where user information ends and where its colon is, within the part before the query. */
    private record Span(int colon, int end) {
    }

    private static Span userInfo(String whole, String head) {
        int start = 0;
        int schemeEnd = schemeEnd(head);
        if (schemeEnd > 0) {
            start = schemeEnd + 1;
        }
        if (head.startsWith("//", start)) {
            start += 2;
        }
        int at;
        URI parsed = parse(whole);
        if (parsed != null && !parsed.isOpaque() && parsed.getHost() != null) {
            // a server-based authority parsed: its user info is exact, and an '@' in the path is no user info
            String info = parsed.getRawUserInfo();
            if (info == null) {
                return null;
            }
            at = start + info.length();
        } else {
            // unparseable, opaque or registry-based: everything up to the last '@' may be user info
            at = head.lastIndexOf('@');
            if (at < start) {
                return null;
            }
        }
        int colon = head.indexOf(':', start);
        return new Span(colon >= 0 && colon < at ? colon : -1, at);
    }

    private static int schemeEnd(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0 || !Character.isLetter(s.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < colon; i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '+' && c != '.' && c != '-') {
                return -1;
            }
        }
        return colon;
    }

    private static URI parse(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String maskQuery(String query) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (from <= query.length()) {
            int next = nextSeparator(query, from);
            String part = query.substring(from, next);
            int eq = part.indexOf('=');
            if (eq > 0 && isSecretName(Options.decode(part.substring(0, eq)))) {
                out.append(part, 0, eq + 1).append(MASK);
            } else {
                out.append(part);
            }
            if (next < query.length()) {
                out.append(query.charAt(next));
            }
            from = next + 1;
        }
        return out.toString();
    }

    private static int nextSeparator(String query, int from) {
        for (int i = from; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '&' || c == ';') {
                return i;
            }
        }
        return query.length();
    }
}
