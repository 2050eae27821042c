package dev.unplug.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "300ms, 300", "300, 300", "2s, 2000", "2 s, 2000", "1m, 60000", "1h, 3600000", "PT2S, 2000",
        "pt0.5s, 500", "' 5S ', 5000",
    })
    void durationsParseInEveryAcceptedForm(String text, long millis) {
        assertThat(Options.parseDuration("deadline", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0s", "-1s", "PT-1S", "PT0S", "abc", "2 seconds", "1.5s", "99999999999999999999"})
    void badDurationsRaiseInvalidArgumentNamingTheOption(String text) {
        UnplugException e = catchThrowableOfType(() -> Options.parseDuration("disconnectDeadline", text),
                UnplugException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("disconnectDeadline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807ms", "2562047788015h", "25h", "86400001ms", "P400D",
        "PT9999999999999H"})
    void durationsLongerThanTheMaximumAreRefusedNamingTheValue(String text) {
        UnplugException e = catchThrowableOfType(() -> Options.parseDuration("readTimeout", text),
                UnplugException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("readTimeout", text, "at most 24h");
    }

    @Test
    void theMaximumItselfIsAccepted() {
        assertThat(Options.parseDuration("x", "24h")).isEqualTo(Options.MAX_DURATION);
        assertThat(Options.requireDuration("x", Options.MAX_DURATION)).isEqualTo(Options.MAX_DURATION);
    }

    @Test
    void hugeDurationArgumentsAreInvalidArgumentsNotArithmeticErrors() {
        for (Duration huge : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(300 * 365),
            Options.MAX_DURATION.plusNanos(1)}) {
            UnplugException e = catchThrowableOfType(() -> Options.requireDuration("deadline", huge),
                    UnplugException.class);
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("deadline", huge.toString());
            UnplugException viaBuilder = catchThrowableOfType(() -> Options.builder().set(Options.CONNECT_TIMEOUT,
                    huge), UnplugException.class);
            assertThat(viaBuilder.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
        assertThat(catchThrowableOfType(() -> Options.requireDuration("deadline", Duration.ofMillis(-1)),
                UnplugException.class).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(catchThrowableOfType(() -> Options.requireDuration("deadline", null),
                UnplugException.class).kind()).isEqualTo(ErrorKind.NULL_ARGUMENT);
    }

    @Test
    void aUrisOptionsArePercentDecodedAsRfc3986SaysWithPlusAsAPlus() {
        Options o = Options.fromUri(java.net.URI.create(
                "pop3://b%6Fb:a+b%2Bc%40d@h:110?pass%77ord=x%20y&starttls&%E2%82%AC=%E2%82%AC"));
        assertThat(o.get(Options.USER)).contains("bob");
        assertThat(o.get(Options.PASSWORD)).contains("x y");
        assertThat(o.get("starttls")).contains("true");
        assertThat(o.get("\u20ac")).contains("\u20ac");
        assertThat(Options.fromUri(java.net.URI.create("pop3://bob:a+b@h")).get(Options.PASSWORD)).contains("a+b");
        assertThat(Options.fromUri(java.net.URI.create("pop3://h")).asMap()).isEmpty();
    }

    @Test
    void nullDurationRaisesNullArgument() {
        assertThatThrownBy(() -> Options.parseDuration("x", null)).isInstanceOf(UnplugException.class)
                .extracting(e -> ((UnplugException) e).kind()).isEqualTo(ErrorKind.NULL_ARGUMENT);
    }

    @Test
    void defaultsAreFinite() {
        Options o = Options.empty();
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.disconnectDeadline()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.flag(Options.RESET_ON_DROP, false)).isFalse();
    }

    @Test
    void typedGettersReadSetValues() {
        Options o = Options.builder().set(Options.CONNECT_TIMEOUT, Duration.ofMillis(1500))
                .set(Options.READ_TIMEOUT, "5s").set(Options.STARTTLS, true).set(Options.RESET_ON_DROP, "FALSE")
                .build();
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.flag(Options.STARTTLS, false)).isTrue();
        assertThat(o.flag(Options.RESET_ON_DROP, true)).isFalse();
        assertThat(o.get("absent")).isEmpty();
    }

    @Test
    void badFlagRaisesInvalidArgumentWithoutShowingASecretValue() {
        Options o = Options.builder().set("starttls", "yes").set("passwordless", "hunter2").build();
        assertThatThrownBy(() -> o.flag("starttls", false)).isInstanceOf(UnplugException.class)
                .hasMessageContaining("starttls").hasMessageContaining("'yes'");
        UnplugException e = catchThrowableOfType(() -> o.flag("passwordless", false), UnplugException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void badTimeoutRaisesInvalidArgument() {
        Options o = Options.builder().set(Options.READ_TIMEOUT, "soon").build();
        assertThatThrownBy(o::readTimeout).isInstanceOf(UnplugException.class).hasMessageContaining("readTimeout");
    }

    @Test
    void toStringMasksSecretsAndShowsTheRest() {
        Options o = Options.builder().set(Options.USER, "alice").set(Options.PASSWORD, "hunter2")
                .set("apiToken", "t0k3n").set("clientSecret", "s3cr3t").set("pass", "p4ss").build();
        assertThat(o.toString()).contains("user=alice").contains("password=***").doesNotContain("hunter2")
                .doesNotContain("t0k3n").doesNotContain("s3cr3t").doesNotContain("p4ss");
    }

    @Test
    void withLaysOverridesOverTheOriginal() {
        Options base = Options.builder().set("a", "1").set("b", "2").build();
        Options merged = base.with(Options.builder().set("b", "3").build());
        assertThat(merged.asMap()).containsEntry("a", "1").containsEntry("b", "3");
        assertThat(base.asMap()).containsEntry("b", "2");
        assertThatThrownBy(() -> base.with(null)).isInstanceOf(UnplugException.class);
    }

    @Test
    void nullsAndBlankNamesAreTypedErrors() {
        Map<String, String> withNull = new HashMap<>();
        withNull.put("a", null);
        assertThat(kindOf(() -> Options.of(null))).isEqualTo(ErrorKind.NULL_ARGUMENT);
        assertThat(kindOf(() -> Options.of(withNull))).isEqualTo(ErrorKind.NULL_ARGUMENT);
        assertThat(kindOf(() -> Options.builder().set(null, "x"))).isEqualTo(ErrorKind.NULL_ARGUMENT);
        assertThat(kindOf(() -> Options.builder().set(" ", "x"))).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kindOf(() -> Options.builder().set("d", (Duration) null))).isEqualTo(ErrorKind.NULL_ARGUMENT);
        assertThat(kindOf(() -> Options.empty().get(null))).isEqualTo(ErrorKind.NULL_ARGUMENT);
    }

    @Test
    void optionsAreImmutable() {
        Options o = Options.of(Map.of("a", "1"));
        assertThatThrownBy(() -> o.asMap().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static ErrorKind kindOf(Runnable r) {
        return catchThrowableOfType(r::run, UnplugException.class).kind();
    }
}
