package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void thePasswordOfAUriIsMaskedInEveryLineEvenWhenTheUriIsMalformed() {
        console.secretsOfUri("imap://alice:s3cr%21t@exa mple:xx/");
        console.out("server said: bad password s3cr%21t");
        console.err("decoded it is s3cr!t");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("s3cr").contains("***");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("s3cr").contains("***");
    }

    @Test
    void secretOptionValuesAreMaskedAndOtherOptionsAreNot() {
        console.secretOption("password", "hunter2");
        console.secretOption("connectTimeout", "5s");
        assertThat(console.scrub("hunter2 after 5s")).isEqualTo("*** after 5s");
    }

    @Test
    void aUriWithoutPasswordMasksNothing() {
        console.secretsOfUri("smtp://alice@host:25");
        console.secretsOfUri("smtp://host:25");
        assertThat(console.scrub("alice at host:25")).isEqualTo("alice at host:25");
    }
}
