package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The packaged {@code unplug.jar}: it holds every plugin of the repository and finds them all. */
class FatJarIT {

    /** Every plugin module of the repository that the cli bundles. */
    static final List<String> REPOSITORY_PLUGINS = List.of("smtp", "pop3", "imap", "nntp", "wds", "netcon",
            "postgresql");

    @Test
    @SuppressWarnings("unchecked")
    void pluginsJsonListsEveryRepositoryPluginAsUsableFromTheClassPath() {
        UnplugJar.Result r = UnplugJar.run("plugins", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<Map<String, Object>> plugins = JsonReader.arrayOfObjects(r.out());
        for (Map<String, Object> p : plugins) {
            assertThat(p.keySet()).containsExactly("id", "version", "schemes", "capabilities", "source", "status",
                    "reason");
        }
        for (String id : REPOSITORY_PLUGINS) {
            Map<String, Object> p = plugins.stream().filter(x -> id.equals(x.get("id"))).findFirst()
                    .orElseThrow(() -> new AssertionError("plugin " + id + " not listed: " + r.out()));
            assertThat(p.get("status")).as(id).isIn("ACTIVE", "READY");
            assertThat(p.get("source")).as(id).isEqualTo("class path");
            assertThat(p.get("reason")).as(id).isNull();
            assertThat(p.get("version")).as(id).isNotNull();
            assertThat((List<Object>) p.get("schemes")).as(id).contains(id);
            // netcon's goodbye is a state change in the kernel, not sent to a remote peer
            assertThat((List<Object>) p.get("capabilities")).as(id).containsAll(id.equals("netcon") ? List.of()
                    : id.equals("wds") ? List.of("GRACEFUL_GOODBYE") : List.of("GRACEFUL_GOODBYE", "COMMANDS"));
        }
    }

    @Test
    void pluginsTableHasOneRowPerPlugin() {
        UnplugJar.Result r = UnplugJar.run("plugins");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("VERSION", "SCHEMES", "CAPABILITIES", "STATUS", "SOURCE",
                "REASON");
        for (String id : REPOSITORY_PLUGINS) {
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(id + " ").contains("class path"));
        }
    }

    @Test
    void theJarMergesEveryPluginsServiceEntryAndCarriesNoModuleDescriptorOrSignature() throws IOException {
        try (JarFile jar = new JarFile(UnplugJar.jar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.unplug.cli.Main");
            List<String> names = Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();
            assertThat(names).noneMatch(n -> n.endsWith("module-info.class"))
                    .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
            JarEntry services = jar.getJarEntry("META-INF/services/dev.unplug.spi.UnplugProvider");
            assertThat(services).isNotNull();
            String providers;
            try (InputStream in = jar.getInputStream(services)) {
                providers = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String id : REPOSITORY_PLUGINS) {
                String pkg = id.equals("postgresql") ? "postgres" : id;
                assertThat(providers).as("provider of " + id).containsPattern("(?m)^dev\\.unplug\\." + pkg + "\\.");
            }
        }
    }
}
