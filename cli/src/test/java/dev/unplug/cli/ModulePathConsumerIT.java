package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer application in a module of its own ({@code requires dev.unplug.core}), compiled and run on the module
 * path with the api, core, the POP3 plugin, the transport, Commons Net and Commons IO as modules: the host finds the plugin
 * through {@code ServiceLoader} ({@code provides} in its module descriptor, {@code uses} in core's) and probes a
 * POP3 peer with it.
 */
class ModulePathConsumerIT {

    private static final String MODULE_INFO = """
            module consumer {
                requires dev.unplug.core;
            }
            """;
    private static final String MAIN = """
            package consumer;

            import dev.unplug.api.Connection;
            import dev.unplug.api.Options;
            import dev.unplug.core.PluginHost;
            import dev.unplug.core.PluginInfo;

            public final class Main {
                public static void main(String[] args) {
                    System.out.println("consumer is named: " + Main.class.getModule().isNamed());
                    try (PluginHost host = PluginHost.fromClassPath()) {
                        for (PluginInfo p : host.plugins()) {
                            System.out.println("plugin " + p.id() + " " + p.status() + " in module "
                                    + host.getClass().getModule().getLayer().findModule("dev.unplug." + p.id())
                                    .map(m -> m.getName()).orElse("?"));
                        }
                        Connection c = host.open("pop3://127.0.0.1:" + args[0], Options.empty());
                        c.connect();
                        System.out.println("outcome " + c.disconnect().kind());
                    }
                }
            }
            """;

    @TempDir
    Path work;

    @Test
    void aModularApplicationFindsAPluginOnTheModulePathAndProbesWithIt() throws Exception {
        List<String> modules = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> Stream.of("unplug-api-", "unplug-core-", "unplug-pop3-plugin-", "unplug-transport-",
                        "commons-net-", "commons-io-", "apiguardian-api-").anyMatch(name -> Path.of(p).getFileName().toString().startsWith(name)))
                .filter(p -> p.endsWith(".jar") && !p.contains("tests"))
                .toList();
        assertThat(modules).as("the jars of the module path, from this test's class path").hasSize(7);
        String modulePath = String.join(File.pathSeparator, modules);

        Path src = Files.createDirectories(work.resolve("src/consumer"));
        Files.writeString(work.resolve("src/module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("Main.java"), MAIN);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "--module-path", modulePath, "-d", classes.toString(),
                work.resolve("src/module-info.java").toString(), src.resolve("Main.java").toString());
        assertThat(compiled).as("javac of the consumer module").isZero();

        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.pop3().build())) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "--module-path", classes + File.pathSeparator + modulePath, "-m",
                    "consumer/consumer.Main", String.valueOf(peer.port())));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).as(out).contains("consumer is named: true")
                    .contains("plugin pop3 READY in module dev.unplug.pop3").contains("outcome CLEAN");
            assertThat(out.lines().filter(l -> l.startsWith("plugin ")).collect(Collectors.toList()))
                    .as("only the module path's plugin").hasSize(1);
        }
    }
}
