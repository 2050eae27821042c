package dev.unplug.core;

import dev.unplug.spi.UnplugProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars at test time: compiles Java source strings with {@code javax.tools} against the installed
 * api jar (on the test class path) and writes them with {@code META-INF/services/dev.unplug.spi.UnplugProvider}.
 */
final class PluginJars {

    private PluginJars() {
    }

    /** The api jar (or classes folder) the host itself runs on. */
    static Path apiLocation() {
        try {
            return Path.of(UnplugProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the api on the test class path", e);
        }
    }

    /** A jar of one provider class registered in META-INF/services. */
    static Path jar(Path dir, String jarName, String providerClass, String source) {
        return jar(dir, jarName, Map.of(providerClass, source), List.of(providerClass), false);
    }

    /**
     * Compiles the sources and writes a jar.
     *
     * @param sources fully qualified class name to source text
     * @param services the lines of the services file (may name classes that do not exist)
     * @param bundleApi whether to copy the api's classes into the jar, as a careless plugin build does
     */
    static Path jar(Path dir, String jarName, Map<String, String> sources, List<String> services, boolean bundleApi) {
        try {
            Path classes = Files.createTempDirectory(dir, "classes-");
            compile(sources, classes);
            Path jar = dir.resolve(jarName);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry(Discovery.SERVICES));
                out.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
                if (bundleApi) {
                    copyApiClasses(out);
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file named like a jar holding random bytes. */
    static Path corrupt(Path dir, String jarName, long seed) throws IOException {
        byte[] bytes = new byte[4096];
        new Random(seed).nextBytes(bytes);
        return Files.write(dir.resolve(jarName), bytes);
    }

    private static void compile(Map<String, String> sources, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new Source(name, text)));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-classpath", apiLocation().toString(),
                    "-d", classes.toString());
            Boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
            if (!Boolean.TRUE.equals(ok)) {
                throw new IllegalStateException("test plugin did not compile: " + diagnostics.getDiagnostics());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyApiClasses(JarOutputStream out) throws IOException {
        Path api = apiLocation();
        if (Files.isDirectory(api)) {
            try (Stream<Path> files = Files.walk(api)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    String name = api.relativize(f).toString().replace('\\', '/');
                    if (name.startsWith("dev/unplug/")) {
                        out.putNextEntry(new JarEntry(name));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
            return;
        }
        try (JarFile jar = new JarFile(api.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.getName().startsWith("dev/unplug/") && e.getName().endsWith(".class")) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream in = jar.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    // ------------------------------------------------------------------ plugin sources

    /**
     * A tiny TCP plugin: connect reads a greeting line; the goodbye sends {@code QUIT} and expects {@code BYE}.
     * Its constructor counts constructions in the system property {@code constructedProperty}.
     */
    static String tcpPlugin(String pkg, String id, String scheme, String constructedProperty) {
        return """
                package %1$s;

                import dev.unplug.api.Connection;
                import dev.unplug.api.ConnectionState;
                import dev.unplug.api.ErrorKind;
                import dev.unplug.api.Options;
                import dev.unplug.api.Redaction;
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

                @UnplugPlugin(id = "%2$s", schemes = {"%3$s"}, apiVersion = ApiVersion.CURRENT)
                public final class TcpProvider implements UnplugProvider {

                    public TcpProvider() {
                        System.setProperty("%4$s", String.valueOf(Integer.getInteger("%4$s", 0) + 1));
                    }

                    @Override public String version() { return "1.2.3"; }

                    @Override public Set<Capability> capabilities() { return Set.of(Capability.GRACEFUL_GOODBYE); }

                    @Override public Connection open(URI uri, Options options) {
                        UnplugException.requireNonNull(uri, "uri");
                        UnplugException.requireNonNull(options, "options");
                        if (uri.getHost() == null || uri.getPort() < 0) {
                            throw new UnplugException(ErrorKind.INVALID_ARGUMENT,
                                    "%2$s needs host and port: " + Redaction.text(uri));
                        }
                        return new TcpConnection(uri, options);
                    }

                    static final class TcpConnection extends AbstractConnection {
                        private volatile Socket socket;
                        private BufferedReader in;
                        private OutputStream out;

                        TcpConnection(URI uri, Options options) { super("%2$s", uri, options); }

                        @Override protected void openTransport(Duration timeout) throws IOException {
                            Socket s = new Socket();
                            socket = s;
                            s.connect(new InetSocketAddress(target().getHost(), target().getPort()),
                                    (int) Math.max(1, timeout.toMillis()));
                            s.setSoTimeout((int) Math.max(1, options().readTimeout().toMillis()));
                            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                            out = s.getOutputStream();
                            if (in.readLine() == null) {
                                throw new EOFException("closed before the greeting");
                            }
                            advance(ConnectionState.CONNECTED);
                        }

                        @Override protected GoodbyeReply sayGoodbye(Duration remaining) throws IOException {
                            socket.setSoTimeout((int) Math.max(1, remaining.toMillis()));
                            out.write("QUIT\\r\\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            String reply = in.readLine();
                            if (reply == null) {
                                throw new EOFException("closed without answering QUIT");
                            }
                            return reply.equals("BYE") ? GoodbyeReply.accepted(reply) : GoodbyeReply.refused(reply,
                                    new UnplugException(ErrorKind.FAILED, "QUIT answered " + reply));
                        }

                        @Override protected void abortTransport(boolean reset) {
                            Socket s = socket;
                            if (s == null) {
                                return;
                            }
                            try {
                                if (reset) {
                                    s.setSoLinger(true, 0);
                                }
                            } catch (IOException ignored) {
                                // closing anyway
                            }
                            try {
                                s.close();
                            } catch (IOException ignored) {
                                // nothing more to release
                            }
                        }
                    }
                }
                """.formatted(pkg, id, scheme, constructedProperty);
    }

    /**
     * A provider that opens nothing, with the given declaration (or none when {@code annotation} is empty) and
     * constructor body.
     */
    static String stubPlugin(String pkg, String annotation, String constructorBody) {
        return """
                package %s;

                import dev.unplug.api.Connection;
                import dev.unplug.api.ErrorKind;
                import dev.unplug.api.Options;
                import dev.unplug.api.UnplugException;
                import dev.unplug.spi.ApiVersion;
                import dev.unplug.spi.Capability;
                import dev.unplug.spi.UnplugPlugin;
                import dev.unplug.spi.UnplugProvider;
                import java.net.URI;
                import java.util.Set;

                %s
                public final class StubProvider implements UnplugProvider {
                    public StubProvider() { %s }
                    @Override public String version() { return "0.0.1"; }
                    @Override public Set<Capability> capabilities() { return Set.of(); }
                    @Override public Connection open(URI uri, Options options) {
                        throw new UnplugException(ErrorKind.NOT_IMPLEMENTED, "stub plugin opens nothing");
                    }
                }
                """.formatted(pkg, annotation, constructorBody);
    }

    /** {@code @UnplugPlugin(...)} text. */
    static String declaration(String id, String scheme, String apiVersionExpression) {
        return "@UnplugPlugin(id = \"" + id + "\", schemes = {\"" + scheme + "\"}, apiVersion = " + apiVersionExpression
                + ")";
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
