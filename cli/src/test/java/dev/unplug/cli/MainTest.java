package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line in this JVM: usage errors, help and version, without starting the fat jar. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("unplug plugins", "unplug probe URI", "unplug demo", "Exit status");
        out.reset();
        assertThat(run("help")).isZero();
        assertThat(out()).contains("unplug probe URI");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out().strip()).matches("unplug \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void noCommandOrAnUnknownOneExitsTwoWithAUsageHint() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).startsWith("error: no command given").contains("usage: unplug");
        err.reset();
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err().lines()).hasSize(2).first().asString().isEqualTo("error: unknown command 'frobnicate'");
    }

    @Test
    void badDurationIsBadInputOnOneLineWithTheTypedKind() {
        assertThat(run("probe", "smtp://127.0.0.1:25", "--deadline", "soon")).isEqualTo(2);
        assertThat(err().lines().findFirst()).hasValueSatisfying(l -> assertThat(l)
                .startsWith("error: INVALID_ARGUMENT (E_INVALIDARG): --deadline must be a positive duration")
                .contains("'soon'"));
        assertThat(out()).isEmpty();
    }

    @Test
    void unknownSchemeIsBadInputListingTheKnownSchemes() {
        assertThat(run("probe", "gopher://127.0.0.1:70")).isEqualTo(2);
        assertThat(err()).startsWith("error: INVALID_ARGUMENT (E_INVALIDARG):").contains("gopher")
                .contains("known schemes").doesNotContain("\tat ");
    }

    @Test
    void malformedUriIsBadInputAndItsPasswordIsNotShown() {
        assertThat(run("probe", "smtp://bob:topsecret@bad host:25")).isEqualTo(2);
        assertThat(err()).startsWith("error: INVALID_ARGUMENT (E_INVALIDARG):").doesNotContain("topsecret");
    }

    @Test
    void anOptionWithoutEqualsSignIsBadInput() {
        assertThat(run("probe", "smtp://127.0.0.1:25", "--option", "connectTimeout")).isEqualTo(2);
        assertThat(err()).contains("NAME=VALUE");
    }

    @Test
    void aMissingPluginsFolderIsBadInput() {
        assertThat(run("plugins", "--plugins-dir", "/no/such/folder/anywhere")).isEqualTo(2);
        assertThat(err()).contains("/no/such/folder/anywhere").contains("not an existing folder");
    }

    @Test
    void commandHelpPrintsThatCommandsUsage() {
        assertThat(run("probe", "--help")).isZero();
        assertThat(out()).startsWith("usage: unplug probe URI");
    }
}
