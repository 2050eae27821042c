package dev.unplug.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.ConnectionContractTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The line plugin of the plugin author's guide, taken from docs/writing-a-plugin.md as it stands, compiled against the
 * api alone, registered for ServiceLoader in its own folder and class loader, and run through the whole TCK: the
 * guide cannot drift from the code.
 */
public class ReadmeExampleTest {

    @TempDir
    static Path work;

    /** The provider compiled from the README, for {@link ReadmePluginContract}. */
    static Class<? extends UnplugProvider> provider;

    /** The TCK against the README's plugin; run through {@link EngineTestKit} once the plugin is compiled. */
    static class ReadmePluginContract extends ConnectionContractTest {
        @Override
        protected Class<? extends UnplugProvider> providerType() {
            return provider;
        }

        /** The README's line protocol: greeting {@code +...}, {@code QUIT} answered by {@code +...}. */
        @Override
        protected LineScript script() {
            return LineScript.builder("+OK ready").goodbye(LineScript.command("QUIT"), "+BYE").build();
        }

        @Override
        protected URI uri(int port) {
            return URI.create("line://127.0.0.1:" + port);
        }

        /** On the socket base, the goodbye is sent without waiting for its answer in a mass shutdown. */
        @Override
        protected boolean defersGoodbyeAnswer() {
            return true;
        }
    }

    @BeforeAll
    static void compileTheReadmesPlugin() throws Exception {
        String guide = Files.readString(guide(), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertThat(block.find()).as("a java block in docs/writing-a-plugin.md").isTrue();
        String source = block.group(1);
        assertThat(countedLines(source)).as("counted lines (not blank, import or comment) of the README's plugin")
                .isLessThanOrEqualTo(30);
        String pkg = match(source, "package ([\\w.]+);");
        String name = match(source, "public (?:final )?class (\\w+)");
        Path src = Files.createDirectories(work.resolve("src").resolve(pkg.replace('.', '/')));
        Path file = Files.writeString(src.resolve(name + ".java"), source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String api = Path.of(UnplugProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        int status = javac.run(null, null, null, "-cp", api, "-d", classes.toString(), "--release", "17",
                file.toString());
        assertThat(status).as("the README's plugin compiles against the api alone").isZero();
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(services.resolve(UnplugProvider.class.getName()), pkg + "." + name + "\n");
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                UnplugProvider.class.getClassLoader());
        provider = loader.loadClass(pkg + "." + name).asSubclass(UnplugProvider.class);
    }

    @Test
    void theReadmesPluginPassesTheTck() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ReadmePluginContract.class))
                .execute().testEvents();
        List<String> failed = events.failed().stream().map(e -> e.getTestDescriptor().getDisplayName() + ": "
                + e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage).orElse("")).toList();
        assertThat(failed).as("TCK checks the README's plugin fails").isEmpty();
        long checks = java.util.Arrays.stream(ConnectionContractTest.class.getMethods())
                .filter(m -> m.isAnnotationPresent(Test.class)).count();
        assertThat(events.succeeded().count()).as("TCK checks passed, of %d", checks).isEqualTo(checks - 2);
        assertThat(events.skipped().list()).as("checks not applicable: the two about commands (rules 18, 19)")
                .hasSize(2).allSatisfy(e -> assertThat(e.getPayload(String.class)).hasValueSatisfying(
                        reason -> assertThat(reason).contains("declares no COMMANDS capability")));
        assertThat(events.aborted().count()).as("checks aborted").isZero();
    }

    /** The plugin author's guide, {@code docs/writing-a-plugin.md} in the project root. */
    public static Path guide() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path guide = dir.resolve("docs/writing-a-plugin.md");
            if (Files.isRegularFile(guide) && Files.isDirectory(dir.resolve("testkit"))) {
                return guide;
            }
        }
        throw new IOException("no docs/writing-a-plugin.md in the project root above " + Path.of("").toAbsolutePath());
    }

    /** Lines that are not blank, not an import and not a comment: what a plugin author writes. */
    public static long countedLines(String source) {
        return source.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("import ")
                && !l.startsWith("//") && !l.startsWith("/*") && !l.startsWith("*")).count();
    }

    private static String match(String source, String regex) {
        Matcher m = Pattern.compile(regex).matcher(source);
        assertThat(m.find()).as("the README's plugin has %s", regex).isTrue();
        return m.group(1);
    }
}
