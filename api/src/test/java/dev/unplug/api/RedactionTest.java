package dev.unplug.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "imap://alice:secret@mail.example:993, imap://alice:***@mail.example:993",
        "pop3://alice:s%40cret@127.0.0.1:110/inbox, pop3://alice:***@127.0.0.1:110/inbox",
        "smtp://127.0.0.1:25?password=hunter2&starttls=true, smtp://127.0.0.1:25?password=***&starttls=true",
        "nntp://u:p@h:119?apiToken=abc&x=1, nntp://u:***@h:119?apiToken=***&x=1",
        "smtp://alice@127.0.0.1:25, smtp://alice@127.0.0.1:25",
        "smtp://127.0.0.1:25, smtp://127.0.0.1:25",
        "smtp://bob@h:25?pass%77ord=s3cret, smtp://bob@h:25?pass%77ord=***",
        "smtp://h:25?%50ASSWORD=s3cret&x=1, smtp://h:25?%50ASSWORD=***&x=1",
        "smtp://h:25?trustStorePassword=s3cret, smtp://h:25?trustStorePassword=***",
        "smtp://h:25?a=1;token=s3cret, smtp://h:25?a=1;token=***",
        "smtp:bob:hunter2@127.0.0.1:25, smtp:bob:***@127.0.0.1:25",
        "pop3://bob:a+b@127.0.0.1:110, pop3://bob:***@127.0.0.1:110",
        "wds://127.0.0.1:4000/ns/a:b@c, wds://127.0.0.1:4000/ns/a:b@c",
    })
    void passwordsAndSecretParametersAreMasked(String in, String out) {
        assertThat(Redaction.uri(URI.create(in))).hasToString(out);
        assertThat(Redaction.text(URI.create(in))).isEqualTo(out);
    }

    @Test
    void uriWithoutSecretsIsReturnedAsIs() {
        URI plain = URI.create("imap://alice@127.0.0.1:143");
        assertThat(Redaction.uri(plain)).isSameAs(plain);
    }

    @Test
    void nullIsHandled() {
        assertThat(Redaction.uri(null)).isNull();
        assertThat(Redaction.text((URI) null)).isEqualTo("null");
        assertThat(Redaction.text((String) null)).isEqualTo("null");
        assertThat(Redaction.secrets(null)).isEmpty();
        assertThat(Redaction.isSecretName(null)).isFalse();
    }

    @Test
    void secretNamesAreRecognisedCaseInsensitively() {
        assertThat(Redaction.isSecretName("PASSWORD")).isTrue();
        assertThat(Redaction.isSecretName("clientSecret")).isTrue();
        assertThat(Redaction.isSecretName("accessToken")).isTrue();
        assertThat(Redaction.isSecretName("pass")).isTrue();
        assertThat(Redaction.isSecretName("user")).isFalse();
        assertThat(Redaction.isSecretName("starttls")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "smtp://bob:hun/ter2@host:25 | smtp://bob:***@host:25",
        "smtp://bob:hunter2@ho st:25/x | smtp://bob:***@ho st:25/x",
        "smtp:bob:hunter2@h | smtp:bob:***@h",
        "not a uri ?password=hunter2 | not a uri ?password=***",
        "x://alice:hunter2@under_score:25/ | x://alice:***@under_score:25/",
    })
    void textThatDoesNotParseIsMaskedTheSameWay(String in, String out) {
        assertThat(Redaction.text(in)).isEqualTo(out);
        assertThat(Redaction.secrets(in)).isNotEmpty().allSatisfy(secret -> assertThat(out).doesNotContain(secret));
    }

    @Test
    void secretsAreFoundAsGivenAndDecoded() {
        assertThat(Redaction.secrets("smtp://bob:s%40cret@h?pass%77ord=a%2Bb&user=bob"))
                .containsExactly("s%40cret", "s@cret", "a%2Bb", "a+b");
        assertThat(Redaction.secrets("smtp://bob@h:25?x=1")).isEmpty();
    }

    @Test
    void hostWithoutServerAuthorityStillHidesThePassword() {
        URI odd = URI.create("x://alice:hunter2@under_score:25/");
        assertThat(Redaction.text(odd)).doesNotContain("hunter2");
    }
}
