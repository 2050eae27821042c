package dev.unplug.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.Capability;
import dev.unplug.testkit.peer.ManyConnectionsPeer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {

    @TempDir
    Path work;

    private Path plugins;
    private String constructed;
    private ManyConnectionsPeer peer;

    @BeforeEach
    void setUp() throws Exception {
        plugins = Files.createDirectory(work.resolve("plugins"));
        constructed = "unplug.test.constructed." + UUID.randomUUID();
        peer = ManyConnectionsPeer.answering();
    }

    @AfterEach
    void tearDown() throws Exception {
        peer.close();
        System.clearProperty(constructed);
    }

    private Path goodJar(Path dir, String jarName) {
        return PluginJars.jar(dir, jarName, "good.TcpProvider",
                PluginJars.tcpPlugin("good", "good", "good", constructed));
    }

    private static Path stubJar(Path dir, String jarName, String pkg, String annotation, String constructorBody) {
        return PluginJars.jar(dir, jarName, pkg + ".StubProvider",
                PluginJars.stubPlugin(pkg, annotation, constructorBody));
    }

    private static PluginInfo info(PluginHost host, String id) {
        List<PluginInfo> found = host.plugins().stream().filter(p -> p.id().equals(id)).toList();
        assertThat(found).as("plugins with id %s in %s", id, host.plugins()).hasSize(1);
        return found.get(0);
    }

    @Test
    void pluginFolderListsEveryBrokenPluginWithItsReasonWhileTheGoodOneConnectsAndDisconnectsClean() throws Exception {
        Path good = goodJar(plugins, "good.jar");
        stubJar(plugins, "throwing.jar", "throwing", PluginJars.declaration("throwing", "throwing",
                "ApiVersion.CURRENT"), "throw new IllegalStateException(\"licence server unreachable\");");
        PluginJars.jar(plugins, "missing.jar", Map.of("missing.Helper", "package missing; public class Helper {}"),
                List.of("missing.NoSuchProvider"), false);
        Path twinA = stubJar(plugins, "twin-a.jar", "twin.a", PluginJars.declaration("twin", "twin",
                "ApiVersion.CURRENT"), "");
        Path twinB = stubJar(plugins, "twin-b.jar", "twin.b", PluginJars.declaration("twin", "twin",
                "ApiVersion.CURRENT"), "");
        Path future = stubJar(plugins, "future.jar", "future", PluginJars.declaration("future", "future", "\"2.0\""),
                "");
        stubJar(plugins, "undeclared.jar", "undeclared", "", "");
        Path corrupt = PluginJars.corrupt(plugins, "corrupt.jar", 42);

        try (PluginHost host = PluginHost.builder().pluginDirectory(plugins).build()) {
            assertThat(host.plugins()).extracting(PluginInfo::id)
                    .containsExactly("corrupt.jar", "future", "good", "missing.NoSuchProvider", "throwing", "twin",
                            "twin", "undeclared.StubProvider");

            PluginInfo goodInfo = info(host, "good");
            assertThat(goodInfo.status()).isEqualTo(PluginStatus.READY);
            assertThat(goodInfo.source()).isEqualTo(good.toAbsolutePath().toString());
            assertThat(goodInfo.schemes()).containsExactly("good");
            assertThat(goodInfo.apiVersion()).contains("1.0");
            assertThat(goodInfo.reason()).isEmpty();

            PluginInfo missing = info(host, "missing.NoSuchProvider");
            assertThat(missing.status()).isEqualTo(PluginStatus.FAILED);
            assertThat(missing.reason().orElseThrow()).contains("missing.NoSuchProvider").contains("not found");

            PluginInfo futureInfo = info(host, "future");
            assertThat(futureInfo.status()).isEqualTo(PluginStatus.INCOMPATIBLE);
            assertThat(futureInfo.source()).isEqualTo(future.toString());
            assertThat(futureInfo.reason().orElseThrow()).contains("api 2.0").contains("api 1.0");

            PluginInfo corruptInfo = info(host, "corrupt.jar");
            assertThat(corruptInfo.status()).isEqualTo(PluginStatus.FAILED);
            assertThat(corruptInfo.reason().orElseThrow()).contains(corrupt.toString()).contains("not a readable jar");

            assertThat(info(host, "undeclared.StubProvider").reason().orElseThrow()).contains("has no @UnplugPlugin");

            List<PluginInfo> twins = host.plugins().stream().filter(p -> p.id().equals("twin")).toList();
            assertThat(twins).extracting(PluginInfo::source, PluginInfo::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(twinA.toString(), PluginStatus.READY),
                    org.assertj.core.groups.Tuple.tuple(twinB.toString(), PluginStatus.DUPLICATE));
            assertThat(twins.get(1).reason().orElseThrow()).contains(twinA.toString()).contains(twinB.toString());

            // the throwing constructor is only found out when the provider is first constructed
            assertThat(info(host, "throwing").status()).isEqualTo(PluginStatus.READY);
            assertThat(host.schemes()).containsExactly("good", "throwing", "twin");

            Connection c = host.open(peer.uri("good"), Options.empty());
            c.connect();
            DisconnectOutcome outcome = c.disconnect(Duration.ofSeconds(5));
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(outcome.lastReply()).contains("BYE");
            assertThat(peer.goodbyes()).isEqualTo(1);

            List<PluginInfo> inspected = host.inspectPlugins();
            PluginInfo active = inspected.stream().filter(p -> p.id().equals("good")).findFirst().orElseThrow();
            assertThat(active.status()).isEqualTo(PluginStatus.ACTIVE);
            assertThat(active.version()).contains("1.2.3");
            assertThat(active.capabilities()).containsExactly(Capability.GRACEFUL_GOODBYE);
            PluginInfo throwing = info(host, "throwing");
            assertThat(throwing.status()).isEqualTo(PluginStatus.FAILED);
            assertThat(throwing.reason().orElseThrow()).contains("throwing.StubProvider")
                    .contains("IllegalStateException").contains("licence server unreachable");
            assertThat(host.schemes()).containsExactly("good", "twin");
        }
    }

    @Test
    void missingClassesInAServicesFileDoNotHideTheProvidersListedAfterThem() throws Exception {
        PluginJars.jar(plugins, "mixed.jar", Map.of("good.TcpProvider",
                PluginJars.tcpPlugin("good", "good", "good", constructed)),
                List.of("missing.Gone", "good.TcpProvider", "also.Missing"), false);
        try (PluginHost host = PluginHost.builder().pluginDirectory(plugins).build()) {
            assertThat(host.plugins()).extracting(PluginInfo::id, PluginInfo::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("also.Missing", PluginStatus.FAILED),
                    org.assertj.core.groups.Tuple.tuple("good", PluginStatus.READY),
                    org.assertj.core.groups.Tuple.tuple("missing.Gone", PluginStatus.FAILED));
            try (Connection c = host.open(peer.uri("good"), Options.empty())) {
                c.connect();
                assertThat(c.disconnect(Duration.ofSeconds(5)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            }
        }
    }

    @Test
    void openingASchemeWhosePluginFailedOrIsIncompatibleNamesThePluginAndTheReason() {
        stubJar(plugins, "throwing.jar", "throwing", PluginJars.declaration("throwing", "throwing",
                "ApiVersion.CURRENT"), "throw new IllegalStateException(\"licence server unreachable\");");
        stubJar(plugins, "future.jar", "future", PluginJars.declaration("future", "future", "\"2.0\""), "");
        try (PluginHost host = PluginHost.builder().pluginDirectory(plugins).build()) {
            assertThatThrownBy(() -> host.open("throwing://127.0.0.1:1", Options.empty()))
                    .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED))
                    .hasMessageContaining("'throwing'").hasMessageContaining("licence server unreachable");
            assertThat(info(host, "throwing").status()).isEqualTo(PluginStatus.FAILED);
            assertThatThrownBy(() -> host.open("future://127.0.0.1:1", Options.empty()))
                    .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED))
                    .hasMessageContaining("'future'").hasMessageContaining("api 2.0");
        }
    }

    @Test
    void aProviderWhoseIdOverrideDisagreesWithItsDeclarationFailsAtFirstUseNamingBoth() {
        String source = PluginJars.stubPlugin("liar", PluginJars.declaration("liar", "liar", "ApiVersion.CURRENT"), "")
                .replace("public StubProvider() {", "@Override public String id() { return \"someone-else\"; }\n"
                        + "    public StubProvider() {");
        PluginJars.jar(plugins, "liar.jar", "liar.StubProvider", source);
        try (PluginHost host = PluginHost.builder().pluginDirectory(plugins).build()) {
            assertThat(info(host, "liar").status()).isEqualTo(PluginStatus.READY);
            assertThatThrownBy(() -> host.open("liar://127.0.0.1:1", Options.empty()))
                    .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED))
                    .hasMessageContaining("declares id 'liar'").hasMessageContaining("returns 'someone-else'");
            assertThat(info(host, "liar").status()).isEqualTo(PluginStatus.FAILED);
        }
    }

    @Test
    void providerIsNotConstructedBeforeItsSchemeIsFirstUsed() throws Exception {
        goodJar(plugins, "good.jar");
        stubJar(plugins, "other.jar", "other", PluginJars.declaration("other", "other", "ApiVersion.CURRENT"), "");
        try (PluginHost host = PluginHost.builder().pluginDirectory(plugins).build()) {
            host.plugins();
            host.schemes();
            assertThatThrownBy(() -> host.open("other://127.0.0.1:1", Options.empty()))
                    .isInstanceOfSatisfying(UnplugException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_IMPLEMENTED));
            assertThat(System.getProperty(constructed)).as("constructions before first use").isNull();
            assertThat(info(host, "good").status()).isEqualTo(PluginStatus.READY);

            try (Connection first = host.open(peer.uri("good"), Options.empty())) {
                assertThat(System.getProperty(constructed)).isEqualTo("1");
                first.connect();
            }
            try (Connection second = host.open(peer.uri("good"), Options.empty())) {
                assertThat(second.pluginId()).isEqualTo("good");
            }
            host.inspectPlugins();
            assertThat(System.getProperty(constructed)).as("constructed once, on first use").isEqualTo("1");
        }
    }

    @Test
    void duplicateIdsAreSettledByJarPathNotScanOrderAndPreferenceOverridesIt() throws Exception {
        Path zDir = Files.createDirectory(work.resolve("z-plugins"));
        Path aDir = Files.createDirectory(work.resolve("a-plugins"));
        Path inZ = stubJar(zDir, "twin.jar", "twin.z", PluginJars.declaration("twin", "twin", "ApiVersion.CURRENT"), "");
        Path inA = stubJar(aDir, "twin.jar", "twin.a", PluginJars.declaration("twin", "twin", "ApiVersion.CURRENT"), "");

        try (PluginHost host = PluginHost.builder().pluginDirectory(zDir).pluginDirectory(aDir).build()) {
            assertThat(statusBySource(host, "twin")).containsExactly(
                    Map.entry(inA.toString(), PluginStatus.READY), Map.entry(inZ.toString(), PluginStatus.DUPLICATE));
            PluginInfo loser = host.plugins().stream().filter(p -> p.source().equals(inZ.toString())).findFirst()
                    .orElseThrow();
            assertThat(loser.reason().orElseThrow()).contains(inA.toString()).contains(inZ.toString())
                    .contains("location sorts first");
        }
        try (PluginHost host = PluginHost.builder().pluginDirectory(zDir).pluginDirectory(aDir)
                .prefer(inZ.toString()).build()) {
            assertThat(statusBySource(host, "twin")).containsExactly(
                    Map.entry(inA.toString(), PluginStatus.DUPLICATE), Map.entry(inZ.toString(), PluginStatus.READY));
            PluginInfo loser = host.plugins().stream().filter(p -> p.source().equals(inA.toString())).findFirst()
                    .orElseThrow();
            assertThat(loser.reason().orElseThrow()).contains("preferred by configuration");
        }
    }

    @Test
    void classPathBeatsPluginFolderForTheSameId() throws Exception {
        Path cpDir = Files.createDirectory(work.resolve("cp"));
        Path onClassPath = stubJar(cpDir, "twin-cp.jar", "twin.cp",
                PluginJars.declaration("twin", "twin", "ApiVersion.CURRENT"), "");
        Path inFolder = stubJar(plugins, "a.jar", "twin.dir",
                PluginJars.declaration("twin", "twin", "ApiVersion.CURRENT"), "");
        try (URLClassLoader classPath = new URLClassLoader(new URL[] {onClassPath.toUri().toURL()},
                PluginDiscoveryTest.class.getClassLoader());
                PluginHost host = PluginHost.builder().classLoader(classPath).pluginDirectory(plugins).build()) {
            assertThat(statusBySource(host, "twin")).containsExactly(
                    Map.entry(inFolder.toString(), PluginStatus.DUPLICATE),
                    Map.entry(PluginInfo.CLASS_PATH, PluginStatus.READY));
            PluginInfo loser = info(host, "twin", inFolder.toString());
            assertThat(loser.reason().orElseThrow()).contains(onClassPath.toString()).contains(inFolder.toString())
                    .contains("class path beats plugin folders");
        }
    }

    @Test
    void twoPluginsClaimingOneSchemeLeaveTheLoserDuplicateAndPreferringByIdFlipsIt() {
        stubJar(plugins, "one.jar", "one", PluginJars.declaration("one", "shared", "ApiVersion.CURRENT"), "");
        stubJar(plugins, "two.jar", "two", PluginJars.declaration("two", "shared", "ApiVersion.CURRENT"), "");
        try (PluginHost host = PluginHost.builder().pluginDirectory(plugins).build()) {
            assertThat(info(host, "one").status()).isEqualTo(PluginStatus.READY);
            assertThat(info(host, "two").status()).isEqualTo(PluginStatus.DUPLICATE);
            assertThat(info(host, "two").reason().orElseThrow()).contains("scheme 'shared'")
                    .contains(plugins.resolve("one.jar").toString()).contains(plugins.resolve("two.jar").toString());
        }
        try (PluginHost host = PluginHost.builder().pluginDirectory(plugins).prefer("two").build()) {
            assertThat(info(host, "one").status()).isEqualTo(PluginStatus.DUPLICATE);
            assertThat(info(host, "two").status()).isEqualTo(PluginStatus.READY);
            assertThatThrownBy(() -> host.open("shared://x", Options.empty()))
                    .hasMessageContaining("stub plugin opens nothing");
        }
    }

    @Test
    void pluginThatBundlesTheApiStillLinksAgainstTheHostsApiAndSeesNothingElseOfTheHost() throws Exception {
        PluginJars.jar(plugins, "bundling.jar", Map.of("good.TcpProvider",
                PluginJars.tcpPlugin("good", "good", "good", constructed)), List.of("good.TcpProvider"), true);
        try (PluginHost host = PluginHost.builder().pluginDirectory(plugins).build()) {
            Connection c = host.open(peer.uri("good"), Options.empty());
            ClassLoader pluginLoader = c.getClass().getClassLoader();
            assertThat(pluginLoader).isNotSameAs(PluginHost.class.getClassLoader());
            assertThat(Class.forName("dev.unplug.api.Connection", false, pluginLoader)).isSameAs(Connection.class);
            assertThat(Class.forName("dev.unplug.spi.AbstractConnection", false, pluginLoader))
                    .isSameAs(dev.unplug.spi.AbstractConnection.class);
            assertThatThrownBy(() -> Class.forName(PluginDiscoveryTest.class.getName(), false, pluginLoader))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName("org.assertj.core.api.Assertions", false, pluginLoader))
                    .isInstanceOf(ClassNotFoundException.class);
            c.connect();
            assertThat(c.disconnect(Duration.ofSeconds(5)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void closedPluginClassLoaderCanBeGarbageCollected() throws Exception {
        goodJar(plugins, "good.jar");
        PluginHost host = PluginHost.builder().pluginDirectory(plugins).build();
        java.lang.ref.WeakReference<ClassLoader> loader = openConnectAndDisconnect(host);
        host.close();
        for (int i = 0; i < 50 && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(100);
        }
        assertThat(loader.get()).as("plugin class loader after close, host still reachable").isNull();
        assertThat(host.plugins()).extracting(PluginInfo::id).containsExactly("good");
        assertThatThrownBy(() -> host.open(peer.uri("good"), Options.empty()))
                .isInstanceOfSatisfying(UnplugException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_STATE));
        java.lang.ref.Reference.reachabilityFence(host);
    }

    private java.lang.ref.WeakReference<ClassLoader> openConnectAndDisconnect(PluginHost host) {
        Connection c = host.open(peer.uri("good"), Options.empty());
        c.connect();
        assertThat(c.disconnect(Duration.ofSeconds(5)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        ClassLoader l = c.getClass().getClassLoader();
        assertThat(l).isInstanceOf(URLClassLoader.class);
        return new java.lang.ref.WeakReference<>(l);
    }

    private static PluginInfo info(PluginHost host, String id, String source) {
        Optional<PluginInfo> found = host.plugins().stream()
                .filter(p -> p.id().equals(id) && p.source().equals(source)).findFirst();
        assertThat(found).as("plugin %s from %s in %s", id, source, host.plugins()).isPresent();
        return found.get();
    }

    private static List<Map.Entry<String, PluginStatus>> statusBySource(PluginHost host, String id) {
        return host.plugins().stream().filter(p -> p.id().equals(id))
                .map(p -> Map.entry(p.source(), p.status())).toList();
    }
}
