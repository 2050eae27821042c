package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    void versionPrintsTheBuildVersionThenEachPluginsVersion() {
        assertThat(run("--version")).isZero();
        List<String> lines = out().strip().lines().toList();
        assertThat(lines.get(0)).matches("unplug \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        for (String id : List.of("smtp", "pop3", "imap", "nntp", "capture", "wds", "netcon")) {
            assertThat(lines).as(id).anyMatch(l -> l.matches("  " + id + " +\\S+"));
        }
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
    void commandHelpPrintsThatCommandsUsageAndEachOption() {
        assertThat(run("probe", "--help")).isZero();
        assertThat(out()).startsWith("usage: unplug probe URI").contains("Options:")
                .contains("--deadline=DURATION", "--mode=graceful|drop", "--option=NAME=VALUE", "--json", "--help");
        for (String command : List.of("plugins", "demo", "completion")) {
            out.reset();
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out()).startsWith("usage: unplug " + command).contains("--help");
        }
        out.reset();
        assertThat(run("wds", "get", "--help")).isZero();
        assertThat(out()).startsWith("usage: unplug wds serve").contains("--out=DIR", "--timeout=DURATION");
    }

    @Test
    void completionPrintsABashScriptCoveringEveryCommandAndOption() {
        assertThat(run("completion")).isZero();
        assertThat(out()).contains("complete -F").contains("plugins", "probe", "demo", "wds", "serve", "get")
                .contains("--plugins-dir", "--deadline", "--block-size", "--out");
        assertThat(run("completion", "--shell", "fish")).isEqualTo(2);
        assertThat(err()).contains("--shell must be bash");
    }
}
