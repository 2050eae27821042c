package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Every Java snippet of the README compiles as printed, imports included, against the published modules (a
 * fragment is compiled as the body of a method); the test-suite example also runs, through the JUnit engine,
 * against a loopback SMTP peer and the smtp plugin, and passes.
 */
class ReadmeSnippetsTest {

    @TempDir
    Path work;

    @Test
    void everyJavaSnippetOfTheReadmeCompilesWithItsImportsAndTheTestExamplePasses() throws Exception {
        String readme = Files.readString(Path.of("..").toAbsolutePath().normalize().resolve("README.md"),
                StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<Path> sources = new ArrayList<>();
        String testClass = null;
        int n = 0;
        while (block.find()) {
            String snippet = block.group(1);
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            for (String line : snippet.split("\n", -1)) {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            assertThat(imports).as("imports of README snippet %d:%n%s", n + 1, snippet).isNotEmpty();
            Matcher type = Pattern.compile("(?m)^class (\\w+)").matcher(body);
            String name;
            String unit;
            if (type.find()) {
                name = type.group(1);
                testClass = "snippet." + name;
                unit = "package snippet;\n" + imports + body;
            } else {
                name = "Snippet" + (++n);
                unit = "package snippet;\n" + imports + "class " + name + " {\n    void run() throws Exception {\n"
                        + body + "    }\n}\n";
            }
            sources.add(Files.writeString(Files.createDirectories(work.resolve("src/snippet"))
                    .resolve(name + ".java"), unit));
        }
        assertThat(sources).as("Java snippets in the README").hasSizeGreaterThanOrEqualTo(5);
        assertThat(testClass).as("the README's test-suite example").isNotNull();

        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), "-d",
                classes.toString(), "--release", "17", "-proc:none"));
        sources.forEach(s -> args.add(s.toString()));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, new PrintStream(errors, true, StandardCharsets.UTF_8),
                args.toArray(String[]::new));
        assertThat(status).as("javac on the README's snippets: %s", errors.toString(StandardCharsets.UTF_8))
                .isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(loader.loadClass(testClass)))
                    .execute().testEvents();
            assertThat(events.failed().count()).as("failures of the README's test example").isZero();
            assertThat(events.succeeded().count()).isEqualTo(1);
        }
    }
}
