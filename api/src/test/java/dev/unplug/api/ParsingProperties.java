package dev.unplug.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of URI and option parsing and of redaction, over random inputs: every input gives a value or a
 * typed error (never another exception), a password comes back exactly as given in any encoding, and no secret
 * survives redaction in any form.
 */
class ParsingProperties {

    /** A marker every generated secret starts with; nothing else in the generated URIs contains it. */
    private static final String MARK = "Zq9";

    @Property
    void anyTextIsADurationOrAnInvalidArgument(@ForAll String text) {
        try {
            Duration d = Options.parseDuration("x", text);
            assertThat(d).isPositive().isLessThanOrEqualTo(Options.MAX_DURATION);
        } catch (UnplugException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
    }

    @Property
    void anyNumberWithAUnitIsADurationOfAtMostTheMaximumOrAnInvalidArgument(
            @ForAll @LongRange(min = -5, max = Long.MAX_VALUE) long n, @ForAll("units") String unit) {
        String text = n + unit;
        try {
            assertThat(Options.parseDuration("x", text)).isPositive().isLessThanOrEqualTo(Options.MAX_DURATION);
        } catch (UnplugException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(text);
        }
    }

    @Provide
    Arbitrary<String> units() {
        return Arbitraries.of("", "ms", "s", "m", "h", " s", "d", "PT");
    }

    @Property
    void anyDurationArgumentIsAcceptedWithinTheMaximumOrRefusedTyped(@ForAll long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
        Duration d = Duration.ofSeconds(seconds, nanos);
        try {
            assertThat(Options.requireDuration("deadline", d)).isSameAs(d);
            assertThat(d).isPositive().isLessThanOrEqualTo(Options.MAX_DURATION);
        } catch (UnplugException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(d.isNegative() || d.isZero() || d.compareTo(Options.MAX_DURATION) > 0).isTrue();
        }
    }

    @Property
    void anyTextIsASizeOrAnInvalidArgument(@ForAll String text) {
        Options o = Options.builder().set("maxReplySize", text).build();
        try {
            assertThat(o.maxReplySize()).isPositive();
        } catch (UnplugException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
    }

    @Property
    void anyTextMeantAsAUriIsRedactedWithoutError(@ForAll String text) {
        assertThat(Redaction.text(text)).isNotNull();
        assertThat(Redaction.secrets(text)).isNotNull();
        try {
            URI uri = new URI(text);
            assertThat(Redaction.uri(uri)).isNotNull();
            Options.fromUri(uri);
        } catch (URISyntaxException notAUri) {
            // only text that parses is a URI
        } catch (UnplugException e) {
            assertThat(e.kind()).isIn(ErrorKind.INVALID_ARGUMENT, ErrorKind.NULL_ARGUMENT);
        }
    }

    @Property
    void aPasswordInTheUserInfoComesBackExactlyAndIsNeverShown(@ForAll("secrets") String secret,
            @ForAll("encodings") Encoding encoding) throws Exception {
        URI uri = new URI("pop3://bob:" + encoding.encode(secret) + "@127.0.0.1:110/inbox?starttls=true");
        assertThat(Options.fromUri(uri).get(Options.PASSWORD)).contains(secret);
        assertNothingShows(uri, secret, encoding.encode(secret));
    }

    @Property
    void aSecretOptionComesBackExactlyWhateverTheEncodingOfItsNameAndIsNeverShown(
            @ForAll("secretNames") String name, @ForAll("encodings") Encoding nameEncoding,
            @ForAll("secrets") String secret, @ForAll("encodings") Encoding valueEncoding) throws Exception {
        String rawValue = valueEncoding.encode(secret);
        URI uri = new URI("smtp://bob@127.0.0.1:25?x=1&" + nameEncoding.encode(name) + "=" + rawValue + "&y");
        assertThat(Options.fromUri(uri).get(name)).contains(secret);
        assertNothingShows(uri, secret, rawValue);
    }

    @Property
    void secretOptionsNeverShowInOptionsToString(@ForAll("secretNames") String name, @ForAll("secrets") String v) {
        assertThat(Options.builder().set(name, v).set("user", "bob").build().toString()).doesNotContain(MARK);
    }

    private static void assertNothingShows(URI uri, String secret, String raw) {
        for (String shown : new String[] {Redaction.text(uri), Redaction.uri(uri).toString(),
            Redaction.text(uri.toString()), Options.fromUri(uri).toString()}) {
            assertThat(shown).doesNotContain(MARK).doesNotContain(secret).doesNotContain(raw);
        }
        assertThat(Redaction.secrets(uri.toString())).contains(secret, raw);
    }

    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().ofMinLength(0).ofMaxLength(20).map(s -> MARK + s);
    }

    @Provide
    Arbitrary<String> secretNames() {
        Arbitrary<String> stem = Arbitraries.of("password", "pass", "passwd", "secret", "token", "apiToken",
                "tlsTrustStorePassword", "clientSecret");
        Arbitrary<Boolean> upper = Arbitraries.of(true, false);
        return Combinators.combine(stem, upper).as((s, u) -> u ? s.toUpperCase(java.util.Locale.ROOT) : s);
    }

    /** Ways of writing text in a URI. */
    enum Encoding {
        /** Every byte percent-encoded, even letters. */
        EVERY_BYTE {
            @Override
            String encode(String s) {
                StringBuilder out = new StringBuilder();
                for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xFF));
                }
                return out.toString();
            }
        },
        /** What must be encoded, with {@code %20} for a space and a plus kept as a plus where it may stand. */
        MINIMAL {
            @Override
            String encode(String s) {
                return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2B", "+")
                        .replace("*", "%2A");
            }
        },
        /** Lower-case hex digits. */
        LOWER_HEX {
            @Override
            String encode(String s) {
                return EVERY_BYTE.encode(s).toLowerCase(java.util.Locale.ROOT);
            }
        };

        abstract String encode(String s);
    }

    @Provide
    Arbitrary<Encoding> encodings() {
        return Arbitraries.of(Encoding.class);
    }
}
