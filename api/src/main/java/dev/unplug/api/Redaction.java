package dev.unplug.api;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Keeps secrets out of logs, messages and {@code toString}: replaces the password in a URI's user info with
 * {@code ***}. Stateless and thread-safe.
 */
public final class Redaction {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    private Redaction() {
    }

    /**
     * The URI with the password of its user info masked: {@code imap://alice:secret@host} becomes
     * {@code imap://alice:***@host}. Query parameters named like a secret ({@code password}, {@code secret},
     * {@code token}) are masked too.
     *
     * @param uri any URI, may be null
     * @return the masked URI, or null for null
     */
    public static URI uri(URI uri) {
        if (uri == null) {
            return null;
        }
        String userInfo = uri.getRawUserInfo();
        String authority = uri.getRawAuthority();
        if (userInfo == null && authority != null && authority.lastIndexOf('@') >= 0) {
            // a registry-based authority (host name not parseable, e.g. "user:pw@bad_host"): no parsed user info
            userInfo = authority.substring(0, authority.lastIndexOf('@'));
        }
        String query = uri.getRawQuery();
        String maskedUser = userInfo;
        if (userInfo != null && userInfo.indexOf(':') >= 0) {
            maskedUser = userInfo.substring(0, userInfo.indexOf(':')) + ":" + MASK;
        }
        String maskedQuery = query == null ? null : maskQuery(query);
        if (java.util.Objects.equals(maskedUser, userInfo) && java.util.Objects.equals(maskedQuery, query)) {
            return uri;
        }
        StringBuilder s = new StringBuilder();
        if (uri.getScheme() != null) {
            s.append(uri.getScheme()).append(':');
        }
        if (uri.getRawAuthority() != null) {
            s.append("//");
            if (maskedUser != null) {
                s.append(maskedUser).append('@');
            }
            if (uri.getHost() != null) {
                s.append(uri.getHost());
                if (uri.getPort() >= 0) {
                    s.append(':').append(uri.getPort());
                }
            } else {
                s.append(authority.substring(authority.lastIndexOf('@') + 1));
            }
        }
        if (uri.getRawPath() != null) {
            s.append(uri.getRawPath());
        }
        if (maskedQuery != null) {
            s.append('?').append(maskedQuery);
        }
        try {
            return new URI(s.toString());
        } catch (URISyntaxException e) {
            return URI.create(uri.getScheme() == null ? "redacted" : uri.getScheme() + ":redacted");
        }
    }

    /**
     * The URI as text with secrets masked.
     *
     * @param uri any URI, may be null
     * @return the masked text, or {@code "null"}
     */
    public static String text(URI uri) {
        return String.valueOf(uri(uri));
    }

    /** Whether an option or parameter name is one whose value must never be shown. */
    public static boolean isSecretName(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.contains("password") || n.contains("secret") || n.contains("token") || n.equals("pass");
    }

    private static String maskQuery(String query) {
        StringBuilder out = new StringBuilder();
        for (String part : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = part.indexOf('=');
            if (eq > 0 && isSecretName(part.substring(0, eq))) {
                out.append(part, 0, eq + 1).append(MASK);
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }
}
