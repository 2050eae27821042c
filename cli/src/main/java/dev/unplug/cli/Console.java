package dev.unplug.cli;

import dev.unplug.api.Redaction;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where the CLI prints: results to standard output, errors to standard error. Every line passes through a
 * scrubber that replaces each secret the user gave (the password in a URI's user info, the value of a secret
 * {@code --option}) with {@value Redaction#MASK}, so a secret cannot reach the terminal even when a plugin or a
 * server message repeats it. Not thread-safe; one per run.
 */
final class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final Set<String> secrets = new LinkedHashSet<>();

    Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Remembers every secret of a URI given on the command line, even a malformed or opaque one. */
    void secretsOfUri(String rawUri) {
        if (rawUri != null) {
            Redaction.secrets(rawUri.trim()).forEach(this::secret);
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

    /** Rewrites the current line of standard output (a progress bar on a terminal): no newline. */
    void overwrite(String text) {
        out.print("\r" + scrub(text));
        out.flush();
    }

    /** Prints a line on standard error. */
    void err(String text) {
        err.println(scrub(text));
        err.flush();
    }
}
