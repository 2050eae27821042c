package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin written by a third party: compiled here against the api jar alone, dropped into a plugins folder as a
 * jar with its {@code META-INF/services} entry, then listed and probed through by the fat jar.
 */
class ThirdPartyPluginIT {

    private static final String PROVIDER = "com.example.thirdparty.LineProvider";

    private static final String SOURCE = """
            package com.example.thirdparty;

            import dev.unplug.api.Connection;
            import dev.unplug.api.ErrorKind;
            import dev.unplug.api.Options;
            import dev.unplug.api.UnplugException;
            import dev.unplug.spi.AbstractConnection;
            import dev.unplug.spi.ApiVersion;
            import dev.unplug.spi.Capability;
            import dev.unplug.spi.GoodbyeReply;
            import dev.unplug.spi.UnplugPlugin;
            import dev.unplug.spi.UnplugProvider;
            import java.io.BufferedReader;
            import java.io.EOFException;
            import java.io.IOException;
            import java.io.InputStreamReader;
            import java.io.OutputStream;
            import java.net.InetSocketAddress;
            import java.net.Socket;
            import java.net.URI;
            import java.nio.charset.StandardCharsets;
            import java.time.Duration;
            import java.util.Set;

            /** A line protocol: the server greets with +OK, the goodbye is BYE, answered +OK. */
            @UnplugPlugin(id = "thirdparty", schemes = {"thirdparty"}, apiVersion = ApiVersion.CURRENT)
            public final class LineProvider implements UnplugProvider {
                @Override
                public String version() {
                    return "7.1.0";
                }

                @Override
                public Set<Capability> capabilities() {
                    return Set.of(Capability.GRACEFUL_GOODBYE);
                }

                @Override
                public Connection open(URI uri, Options options) {
                    return new LineConnection(uri, options);
                }

                static final class LineConnection extends AbstractConnection {
                    private volatile Socket socket;
                    private BufferedReader in;
                    private OutputStream out;

                    LineConnection(URI uri, Options options) {
                        super("thirdparty", uri, options);
                    }

                    @Override
                    protected void openTransport(Duration timeout) throws IOException {
                        Socket s = new Socket();
                        socket = s;
                        s.connect(new InetSocketAddress(target().getHost(), target().getPort()),
                                (int) timeout.toMillis());
                        s.setSoTimeout((int) options().readTimeout().toMillis());
                        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                        out = s.getOutputStream();
                        String greeting = in.readLine();
                        if (greeting == null || !greeting.startsWith("+OK")) {
                            throw new UnplugException(ErrorKind.MALFORMED_REPLY, "no +OK greeting from " + uri());
                        }
                    }

                    @Override
                    protected GoodbyeReply sayGoodbye(Duration remaining) throws IOException {
                        socket.setSoTimeout((int) Math.max(1, remaining.toMillis()));
                        out.write("BYE\\r\\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        String reply = in.readLine();
                        if (reply == null) {
                            throw new EOFException("closed before answering BYE");
                        }
                        return reply.startsWith("+OK") ? GoodbyeReply.accepted(reply)
                                : GoodbyeReply.refused(reply, new UnplugException(ErrorKind.FAILED, reply));
                    }

                    @Override
                    protected void abortTransport(boolean reset) {
                        Socket s = socket;
                        if (s == null) {
                            return;
                        }
                        try {
                            if (reset) {
                                s.setSoLinger(true, 0);
                            }
                            s.close();
                        } catch (IOException ignored) {
                            // closing is all we can do
                        }
                    }
                }
            }
            """;

    @TempDir
    static Path work;
    private static Path plugins;
    private static Path pluginJar;

    @BeforeAll
    static void buildThePluginJarAgainstTheApiAlone() throws IOException, URISyntaxException {
        Path api = Path.of(UnplugProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path src = Files.createDirectories(work.resolve("src/com/example/thirdparty"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path file = Files.writeString(src.resolve("LineProvider.java"), SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK compiler").isNotNull();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, List.of("--release", "17", "-proc:none",
                "-classpath", api.toString(), "-d", classes.toString()), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file)).call();
        assertThat(ok).as("compiled against %s only:%n%s", api, diagnostics).isTrue();

        plugins = Files.createDirectories(work.resolve("plugins"));
        pluginJar = plugins.resolve("thirdparty-plugin-7.1.0.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(pluginJar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jar);
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/" + UnplugProvider.class.getName()));
            OutputStream out = jar;
            out.write((PROVIDER + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    void pluginsListsTheThirdPartyPluginWithItsJarAsSource() {
        UnplugJar.Result r = UnplugJar.run("plugins", "--plugins-dir", plugins.toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, Object> p = JsonReader.arrayOfObjects(r.out()).stream()
                .filter(x -> "thirdparty".equals(x.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("thirdparty not listed: " + r));
        assertThat(p).containsEntry("version", "7.1.0").containsEntry("schemes", List.of("thirdparty"))
                .containsEntry("capabilities", List.of("GRACEFUL_GOODBYE")).containsEntry("reason", null);
        assertThat(p.get("status")).isIn("ACTIVE", "READY");
        assertThat(Path.of((String) p.get("source")).toAbsolutePath().normalize())
                .isEqualTo(pluginJar.toAbsolutePath().normalize());
        // the repository's own plugins are still there beside it
        assertThat(JsonReader.arrayOfObjects(r.out())).anySatisfy(x -> assertThat(x).containsEntry("id", "smtp"));
    }

    @Test
    void probeThroughTheThirdPartyPluginIsClean() {
        LineScript script = LineScript.builder("+OK line server ready").goodbye("BYE", "+OK bye").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            UnplugJar.Result r = UnplugJar.run("probe", "thirdparty://127.0.0.1:" + peer.port(), "--plugins-dir",
                    plugins.toString(), "--json");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(JsonReader.object(r.out())).containsEntry("plugin", "thirdparty")
                    .containsEntry("outcome", "CLEAN").containsEntry("lastReply", "+OK bye")
                    .containsEntry("error", null);
            assertThat(peer.goodbyeCount()).isEqualTo(1);
        }
    }

    @Test
    void withoutThePluginsFolderTheSchemeIsUnknown() {
        UnplugJar.Result r = UnplugJar.run("probe", "thirdparty://127.0.0.1:9");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: INVALID_ARGUMENT (E_INVALIDARG): ").contains("thirdparty");
    }
}
