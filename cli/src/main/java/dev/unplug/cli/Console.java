package dev.unplug.cli;

import dev.unplug.api.Redaction;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the CLI prints: results to standard output, errors to standard error. Every line passes through a
 * scrubber that replaces each secret the user gave (the password in a URI's user info, the value of a secret
 * {@code --option}) with {@value Redaction#MASK}, so a secret cannot reach the terminal even when a plugin or a
 * server message repeats it. Not thread-safe; one per run.
 */
final class Console {

    private static final Pattern USER_INFO = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/?#@]*)@");

    private final PrintStream out;
    private final PrintStream err;
    private final Set<String> secrets = new LinkedHashSet<>();

    Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Remembers the password of a URI given on the command line, even a malformed one. */
    void secretsOfUri(String rawUri) {
        if (rawUri == null) {
            return;
        }
        Matcher m = USER_INFO.matcher(rawUri.trim());
        if (m.find()) {
            String info = m.group(1);
            int colon = info.indexOf(':');
            if (colon >= 0) {
                secret(info.substring(colon + 1));
            }
        }
    }

    /** Remembers the value of an option when its name is a secret one. */
    void secretOption(String name, String value) {
        if (Redaction.isSecretName(name)) {
            secret(value);
        }
    }

    private void secret(String raw) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        secrets.add(raw);
        try {
            secrets.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not percent-encoded: the raw form is enough
        }
    }

    /** The text with every remembered secret masked. */
    String scrub(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String s = text;
        for (String secret : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            if (!secret.isEmpty() && !secret.equals(Redaction.MASK)) {
                s = s.replace(secret, Redaction.MASK);
            }
        }
        return s;
    }

    /** Prints a result line (or block) on standard output. */
    void out(String text) {
        out.println(scrub(text));
        out.flush();
    }

    /** Prints a line on standard error. */
    void err(String text) {
        err.println(scrub(text));
        err.flush();
    }
}
