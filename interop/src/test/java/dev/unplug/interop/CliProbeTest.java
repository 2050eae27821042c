package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code unplug} fat jar ({@code java -jar cli/target/unplug.jar probe URI --json}) against the real servers
 * prints {@code CLEAN}; against a peer that never answers QUIT, {@code --deadline 300ms} prints {@code ESCALATED};
 * and the same servers once more with the plugins loaded from a plugins folder.
 */
class CliProbeTest {

    private static final Pattern OUTCOME = Pattern.compile("\"outcome\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern ELAPSED = Pattern.compile("\"elapsedMillis\"\\s*:\\s*([0-9.]+)");

    private Path jar;

    @BeforeEach
    void cliBuilt() {
        jar = Path.of(System.getProperty("unplug.cli.jar", "../cli/target/unplug.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            String problem = "no " + jar + ": build it first (mvn -B clean install)";
            if (Server.inCi()) {
                Assertions.fail(problem);
            }
            Assumptions.abort(problem);
        }
    }

    /** Every server but the TLS ones with a self-signed certificate only the interop's trust stores trust. */
    @ParameterizedTest
    @EnumSource(value = Server.class, names = {"MQTTS", "WEBSOCKET_TLS"}, mode = EnumSource.Mode.EXCLUDE)
    void probeOfARealServerPrintsCleanAndNoPassword(Server server) throws Exception {
        server.require();

        Run run = unplug("probe", server.uri().toString(), "--json");

        assertThat(run.exit).as("exit status; output:%n%s", run.out).isZero();
        assertThat(field(OUTCOME, run.out)).as("outcome in%n%s", run.out).isEqualTo("CLEAN");
        assertThat(run.out).doesNotContain("secret");
    }

    /**
     * The same real servers with the plugins loaded from a plugins folder (their self-contained jars, as
     * {@code cli/target/plugins-folder} holds them) and nothing of theirs on the class path: graceful is CLEAN, drop
     * is DROPPED, and nothing is logged at WARNING.
     */
    @ParameterizedTest
    @EnumSource(value = Server.class, names = {"MQTTS", "WEBSOCKET_TLS"}, mode = EnumSource.Mode.EXCLUDE)
    void gracefulAndDropFromAPluginsFolderEndAsFromTheClassPath(Server server) throws Exception {
        server.require();
        Path cli = jar.getParent();
        Path folder = cli.resolve("plugins-folder");
        List<String> classPath = new ArrayList<>();
        try (var thin = Files.list(cli.resolve("thin-lib"))) {
            thin.map(Path::toString).forEach(classPath::add);
        }
        try (var jars = Files.list(cli)) {
            jars.map(Path::toString).filter(n -> n.matches(".*/unplug-cli-[^/]*\\d(-SNAPSHOT)?\\.jar"))
                    .forEach(classPath::add);
        }
        if (!Files.isDirectory(folder) || classPath.size() < 3) {
            String problem = "no plugins folder or thin class path under " + cli + ": run mvn -B install first";
            if (Server.inCi()) {
                Assertions.fail(problem);
            }
            Assumptions.abort(problem);
        }
        for (String mode : List.of("graceful", "drop")) {
            Run run = launch(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), "dev.unplug.cli.Main"),
                    "probe", server.uri().toString(), "--mode", mode, "--plugins-dir", folder.toString(), "--json");
            assertThat(run.exit).as("exit status; output:%n%s", run.out).isZero();
            assertThat(field(OUTCOME, run.out)).as("outcome of %s in%n%s", mode, run.out)
                    .isEqualTo(mode.equals("graceful") ? "CLEAN" : "DROPPED");
            assertThat(run.out).as("output and log of %s", mode).doesNotContain("WARNING").doesNotContain("secret")
                    .doesNotContain("NoClassDefFoundError");
        }
    }

    @Test
    void probeOfAPeerThatNeverAnswersQuitEscalatesAtTheDeadline() throws Exception {
        try (LoopbackPeer peer = LoopbackPeer.neverAnswersGoodbye(LineScript.smtp().build())) {
            Run run = unplug("probe", peer.uri("smtp").toString(), "--deadline", "300ms", "--json");

            assertThat(run.exit).as("exit status; output:%n%s", run.out).isZero();
            assertThat(field(OUTCOME, run.out)).as("outcome in%n%s", run.out).isEqualTo("ESCALATED");
            // the deadline held: at least most of it was waited, and far less than the 30 s read timeout
            assertThat(Double.parseDouble(field(ELAPSED, run.out))).isBetween(250.0, 2000.0);
            assertThat(peer.goodbyeCount()).as("QUIT lines the peer received").isEqualTo(1);
        }
    }

    private static String field(Pattern p, String out) {
        Matcher m = p.matcher(out);
        assertThat(m.find()).as("%s in the output:%n%s", p, out).isTrue();
        return m.group(1);
    }

    private record Run(int exit, String out) {
    }

    private Run unplug(String... args) throws IOException, InterruptedException {
        return launch(List.of("-jar", jar.toString()), args);
    }

    private static Run launch(List<String> how, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(how);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Assertions.fail("unplug " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
