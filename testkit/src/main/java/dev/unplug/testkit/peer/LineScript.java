package dev.unplug.testkit.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * What a line-protocol peer says: a greeting, the replies to request lines, the goodbye command and its reply,
 * and optionally a STARTTLS command after whose reply the peer switches to TLS. Immutable and thread-safe.
 *
 * <p>A reply line may contain {@code {tag}}, replaced by the first word of the request line, which is what an
 * IMAP server answers with:
 *
 * <pre>{@code
 * LineScript imap = LineScript.builder("* OK [CAPABILITY IMAP4rev1] ready")
 *         .on(LineScript.tagged("LOGIN"), "{tag} OK LOGIN completed")
 *         .goodbye(LineScript.tagged("LOGOUT"), "* BYE logging out", "{tag} OK LOGOUT completed")
 *         .otherwise("{tag} BAD unknown command")
 *         .build();
 * }</pre>
 *
 * <p>Rules are tried in this order: goodbye, STARTTLS, the {@code on} rules <em>latest first</em> (so a rule
 * added later refines an earlier one), then {@code otherwise} (no reply at all unless set). Ready-made builders
 * for the four internet protocols, to refine or {@link Builder#build() build} as they are: {@link #smtp()},
 * {@link #pop3()}, {@link #imap()}, {@link #nntp()}.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class LineScript {

    private record Rule(Predicate<String> request, Function<String, List<String>> replies) {
    }

    private final List<String> greeting;
    private final List<Rule> rules;
    private final Rule goodbye;
    private final Rule startTls;
    private final Function<String, List<String>> otherwise;

    private LineScript(Builder b) {
        this.greeting = List.copyOf(b.greeting);
        this.rules = List.copyOf(b.rules);
        this.goodbye = b.goodbye;
        this.startTls = b.startTls;
        this.otherwise = b.otherwise;
    }

    /**
     * Starts a script with the given greeting lines (none: the peer speaks only when spoken to).
     *
     * @param greeting the lines sent when a client connects
     * @return a builder
     */
    public static Builder builder(String... greeting) {
        return new Builder(List.of(greeting));
    }

    /**
     * Matches a request whose first word is the given command, case-insensitively ({@code QUIT},
     * {@code MODE READER} matches {@code "MODE"}).
     *
     * @param word the command word
     * @return the predicate
     */
    public static Predicate<String> command(String word) {
        Objects.requireNonNull(word, "word");
        return line -> word.equalsIgnoreCase(word(line, 0));
    }

    /**
     * Matches a tagged request (IMAP: {@code a1 LOGOUT}) whose second word is the given command,
     * case-insensitively.
     *
     * @param word the command word after the tag
     * @return the predicate
     */
    public static Predicate<String> tagged(String word) {
        Objects.requireNonNull(word, "word");
        return line -> word.equalsIgnoreCase(word(line, 1));
    }

    /** The greeting lines, possibly empty. */
    public List<String> greeting() {
        return greeting;
    }

    /** Whether the line is this protocol's goodbye. */
    public boolean isGoodbye(String line) {
        return goodbye != null && goodbye.request.test(line);
    }

    /** Whether the line asks to switch to TLS. */
    public boolean isStartTls(String line) {
        return startTls != null && startTls.request.test(line);
    }

    /**
     * The reply lines to a request line (goodbye and STARTTLS included), {@code {tag}} replaced; empty when the
     * script has no answer.
     *
     * @param line the request line, without CRLF
     * @return the reply lines, never null
     */
    public List<String> replyTo(String line) {
        if (isGoodbye(line)) {
            return goodbye.replies.apply(line);
        }
        if (isStartTls(line)) {
            return startTls.replies.apply(line);
        }
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule r = rules.get(i);
            if (r.request.test(line)) {
                return r.replies.apply(line);
            }
        }
        return otherwise == null ? List.of() : otherwise.apply(line);
    }

    /** A builder preset as an SMTP server: {@code 220} greeting, EHLO/HELO, AUTH PLAIN, NOOP, RSET; QUIT → 221. */
    public static Builder smtp() {
        return builder("220 127.0.0.1 ESMTP unplug-peer ready")
                .on(command("EHLO"), "250-127.0.0.1 hello", "250-AUTH PLAIN", "250 8BITMIME")
                .on(command("HELO"), "250 127.0.0.1 hello")
                .on(command("AUTH"), "235 2.7.0 Authentication successful")
                .on(command("NOOP"), "250 2.0.0 OK")
                .on(command("RSET"), "250 2.0.0 OK")
                .goodbye(command("QUIT"), "221 2.0.0 Bye")
                .otherwise("502 5.5.2 Command not recognised");
    }

    /** A builder preset as a POP3 server: {@code +OK} greeting, USER/PASS, CAPA, STAT, NOOP; QUIT → {@code +OK}. */
    public static Builder pop3() {
        return builder("+OK unplug-peer POP3 ready")
                .on(command("CAPA"), "+OK Capability list follows", "USER", ".")
                .on(command("USER"), "+OK send PASS")
                .on(command("PASS"), "+OK logged in")
                .on(command("STAT"), "+OK 0 0")
                .on(command("NOOP"), "+OK")
                .goodbye(command("QUIT"), "+OK unplug-peer signing off")
                .otherwise("-ERR unknown command");
    }

    /** A builder preset as an IMAP server: {@code * OK} greeting, CAPABILITY, LOGIN, NOOP; LOGOUT → BYE, OK. */
    public static Builder imap() {
        return builder("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] unplug-peer IMAP ready")
                .on(tagged("CAPABILITY"), "* CAPABILITY IMAP4rev1 AUTH=PLAIN", "{tag} OK CAPABILITY completed")
                .on(tagged("LOGIN"), "{tag} OK LOGIN completed")
                .on(tagged("NOOP"), "{tag} OK NOOP completed")
                .goodbye(tagged("LOGOUT"), "* BYE unplug-peer logging out", "{tag} OK LOGOUT completed")
                .otherwise("{tag} BAD unknown command");
    }

    /** A builder preset as an NNTP server: {@code 200} greeting, MODE READER, AUTHINFO, DATE; QUIT → 205. */
    public static Builder nntp() {
        return builder("200 unplug-peer NNTP ready (posting ok)")
                .on(command("MODE"), "200 reader mode, posting ok")
                .on(line -> line.toUpperCase(Locale.ROOT).startsWith("AUTHINFO USER"), "381 password required")
                .on(line -> line.toUpperCase(Locale.ROOT).startsWith("AUTHINFO PASS"), "281 authentication accepted")
                .on(command("CAPABILITIES"), "101 Capability list:", "VERSION 2", "READER", ".")
                .on(command("DATE"), "111 20240101000000")
                .goodbye(command("QUIT"), "205 closing connection")
                .otherwise("500 unknown command");
    }

    private static String word(String line, int index) {
        if (line == null) {
            return "";
        }
        String[] words = line.strip().split("\\s+", index + 2);
        return words.length > index ? words[index] : "";
    }

    private static Function<String, List<String>> fixed(String... replies) {
        List<String> lines = List.of(replies);
        return request -> {
            String tag = word(request, 0);
            List<String> out = new ArrayList<>(lines.size());
            for (String l : lines) {
                out.add(l.replace("{tag}", tag));
            }
            return out;
        };
    }

    /** Builds a {@link LineScript}. Not thread-safe. */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Builder {
        private final List<String> greeting;
        private final List<Rule> rules = new ArrayList<>();
        private Rule goodbye;
        private Rule startTls;
        private Function<String, List<String>> otherwise;

        private Builder(List<String> greeting) {
            this.greeting = greeting;
        }

        /** Answers requests whose first word is {@code commandWord} with fixed lines. */
        public Builder on(String commandWord, String... replies) {
            return on(command(commandWord), replies);
        }

        /** Answers matching requests with fixed lines ({@code {tag}} replaced). */
        public Builder on(Predicate<String> request, String... replies) {
            return respond(request, fixed(replies));
        }

        /** Answers matching requests with lines computed from the request. */
        public Builder respond(Predicate<String> request, Function<String, List<String>> replies) {
            rules.add(new Rule(Objects.requireNonNull(request, "request"), Objects.requireNonNull(replies, "replies")));
            return this;
        }

        /** The goodbye: requests whose first word is {@code commandWord}, and their reply lines. */
        public Builder goodbye(String commandWord, String... replies) {
            return goodbye(command(commandWord), replies);
        }

        /** The goodbye command and its reply lines; the peer closes the connection after them. */
        public Builder goodbye(Predicate<String> request, String... replies) {
            this.goodbye = new Rule(Objects.requireNonNull(request, "request"), fixed(replies));
            return this;
        }

        /** A STARTTLS-like command: after its reply lines the peer performs a TLS server handshake. */
        public Builder startTls(Predicate<String> request, String... replies) {
            this.startTls = new Rule(Objects.requireNonNull(request, "request"), fixed(replies));
            return this;
        }

        /** The reply to any request that no other rule matches ({@code {tag}} replaced). */
        public Builder otherwise(String... replies) {
            this.otherwise = fixed(replies);
            return this;
        }

        /** The script. */
        public LineScript build() {
            return new LineScript(this);
        }
    }
}
