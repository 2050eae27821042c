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
        assertThat(Redaction.text(null)).isEqualTo("null");
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

    @Test
    void hostWithoutServerAuthorityStillHidesThePassword() {
        URI odd = URI.create("x://alice:hunter2@under_score:25/");
        assertThat(Redaction.text(odd)).doesNotContain("hunter2");
    }
}
