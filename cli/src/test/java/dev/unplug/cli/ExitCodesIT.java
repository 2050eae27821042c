package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exit status and error lines of the fat jar: 2 for bad input, 1 for a typed failure, never a stack trace. */
class ExitCodesIT {

    private static void assertCleanFailure(UnplugJar.Result r, int exit) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.all()).as(r.toString()).doesNotContain("\tat ").doesNotContain("Exception in thread")
                .doesNotContain("Caused by");
        assertThat(r.err().lines().findFirst()).as(r.toString()).hasValueSatisfying(l -> assertThat(l)
                .startsWith("error: "));
    }

    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void unknownSchemeExitsTwoAndNamesTheKnownSchemes() {
        UnplugJar.Result r = UnplugJar.run("probe", "gopher://127.0.0.1:70");
        assertCleanFailure(r, 2);
        assertThat(r.err()).startsWith("error: INVALID_ARGUMENT (E_INVALIDARG): ").contains("gopher")
                .contains("smtp").contains("usage: unplug probe");
    }

    @Test
    void malformedUriExitsTwoWithoutShowingItsPassword() {
        UnplugJar.Result r = UnplugJar.run("probe", "smtp://bob:secret@bad host:25");
        assertCleanFailure(r, 2);
        assertThat(r.err()).startsWith("error: INVALID_ARGUMENT (E_INVALIDARG): ");
        assertThat(r.all()).doesNotContain("secret");
    }

    @Test
    void badDurationExitsTwo() {
        UnplugJar.Result r = UnplugJar.run("probe", "smtp://127.0.0.1:25", "--deadline", "2 fortnights");
        assertCleanFailure(r, 2);
        assertThat(r.err()).contains("--deadline").contains("2 fortnights");
    }

    @Test
    void unknownOptionAndMissingArgumentExitTwoWithAUsageHint() {
        UnplugJar.Result unknown = UnplugJar.run("plugins", "--colour");
        assertCleanFailure(unknown, 2);
        assertThat(unknown.err()).contains("--colour").contains("usage: unplug plugins");
        UnplugJar.Result missing = UnplugJar.run("probe");
        assertCleanFailure(missing, 2);
        assertThat(missing.err()).contains("missing argument URI").contains("usage: unplug probe");
    }

    @Test
    void connectRefusedExitsOneWithTheTypedErrorOnOneLineAndNoPassword() throws IOException {
        String uri = "smtp://bob:secret@127.0.0.1:" + closedLoopbackPort();
        UnplugJar.Result r = UnplugJar.run("probe", uri);
        assertCleanFailure(r, 1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("error: CONNECT_FAILED (IXP_E_FAILED_TO_CONNECT): ");
        assertThat(r.all()).doesNotContain("secret").contains("bob:***@");
    }

    @Test
    void connectRefusedWithJsonPrintsANullOutcomeAndTheError() throws IOException {
        UnplugJar.Result r = UnplugJar.run("probe", "smtp://bob:secret@127.0.0.1:" + closedLoopbackPort(),
                "--json", "--option", "password=alsosecret");
        assertCleanFailure(r, 1);
        Map<String, Object> json = JsonReader.object(r.out());
        assertThat(json).containsEntry("plugin", "smtp").containsEntry("outcome", null);
        assertThat(json.get("error")).isInstanceOfSatisfying(Map.class, e -> assertThat(e)
                .containsEntry("kind", "CONNECT_FAILED").containsEntry("code", "IXP_E_FAILED_TO_CONNECT")
                .containsKey("message"));
        assertThat(r.all()).doesNotContain("secret");
    }
}
