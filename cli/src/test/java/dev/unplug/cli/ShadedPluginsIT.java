package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our four protocol plugins as users install them: each self-contained plugin jar (classifier {@code plugin}: its
 * classes, the transport, Commons Net and the Commons IO it calls, relocated) in a plugins folder, and the command started with nothing but
 * the api, the core and its own classes on the class path. Each scheme is probed against a loopback peer and must
 * end CLEAN, with nothing
 * logged at WARNING (a missing class under the graceful close would show there, not in the outcome).
 */
class ShadedPluginsIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"smtp", "pop3", "imap", "nntp"})
    void eachSelfContainedPluginJarWorksFromAPluginsFolderWithNothingElseOnTheClassPath(String scheme)
            throws IOException {
        Path folder = Path.of(System.getProperty("unplug.plugins.folder", "target/plugins-folder"));
        try (Stream<Path> jars = Files.list(folder)) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .as("plugin jars in %s", folder).hasSize(10).allMatch(n -> n.endsWith("-plugin.jar"));
        }
        LineScript script = switch (scheme) {
            case "smtp" -> LineScript.smtp().build();
            case "pop3" -> LineScript.pop3().build();
            case "imap" -> LineScript.imap().build();
            default -> LineScript.nntp().build();
        };
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            UnplugJar.Result r = UnplugJar.runWith(List.of("-cp", thinClassPath(), "dev.unplug.cli.Main"), "probe",
                    peer.uri(scheme).toString(), "--plugins-dir", folder.toString(), "--json");
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).contains("\"plugin\": \"" + scheme + "\"").contains("\"outcome\": \"CLEAN\"");
            assertThat(peer.goodbyeCount()).as("goodbyes the peer received").isEqualTo(1);
            // Commons Net calls Commons IO when it closes: a plugin jar without it fails there, after a CLEAN outcome
            assertThat(r.err()).as("what the command logged").doesNotContain("WARNING")
                    .doesNotContain("NoClassDefFoundError");
        }
    }

    /** The api, the core and the command's own jar: no plugin, no Commons Net. */
    private static String thinClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(System.getProperty("unplug.thin.jar"));
        try (Stream<Path> lib = Files.list(Path.of(System.getProperty("unplug.thin.lib", "target/thin-lib")))) {
            lib.map(Path::toString).forEach(entries::add);
        }
        assertThat(entries).as("thin class path").noneMatch(e -> e == null || e.contains("commons-net")
                || e.contains("commons-io") || e.contains("plugin") || e.contains("transport"));
        return String.join(File.pathSeparator, entries);
    }
}
