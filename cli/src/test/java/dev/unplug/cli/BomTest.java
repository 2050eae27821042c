package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM lists every published artifact of the reactor, at the project's version, and nothing else. */
class BomTest {

    /** Not published as dependencies: the benchmarks, the interop suite, the archetype (used by its coordinates). */
    private static final Set<String> UNPUBLISHED = Set.of("unplug-bench", "unplug-plugin-archetype", "unplug-bom", "unplug-interop");

    @Test
    void theBomListsEveryPublishedModuleAtTheProjectsVersion() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String parent = Files.readString(root.resolve("pom.xml"));
        String bom = Files.readString(root.resolve("bom/pom.xml"));
        String version = first(parent, "<artifactId>unplug-parent</artifactId>\\s*<version>([^<]+)</version>");
        assertThat(first(bom, "<artifactId>unplug-bom</artifactId>\\s*<version>([^<]+)</version>"))
                .as("the BOM's version").isEqualTo(version);

        Set<String> published = new TreeSet<>();
        for (String module : all(parent, "<module>([^<]+)</module>")) {
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            String artifact = first(pom, "</parent>\\s*<artifactId>([^<]+)</artifactId>|<artifactId>(unplug-bom)<");
            if (!UNPUBLISHED.contains(artifact)) {
                published.add(artifact);
            }
        }
        Set<String> listed = new TreeSet<>(all(bom, "<artifactId>([^<]+)</artifactId>\\s*<version>"));
        listed.remove("unplug-bom");
        assertThat(listed).as("artifacts in the BOM").isEqualTo(published);
        assertThat(all(bom, "<version>([^<]+)</version>").stream().skip(1)).as("every entry's version")
                .containsOnly("${project.version}");
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private static List<String> all(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().map(r -> r.group(1)).toList();
    }
}
