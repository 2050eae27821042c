package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a user can give a secret, checked through every output: the connection's {@code uri()} and
 * {@code toString()}, each listener event, the error of the failed connect (message, causes, stack trace text),
 * the outcome, and the command line's text and JSON. The secret contains a plus, which a URI's user info keeps
 * as a plus. Where the secret is the password, the server must receive it exactly, decoded.
 */
class SecretsTest {

    /** The secret as the connection uses it. Every form of it contains {@link #MARK}. */
    private static final String SECRET = "Zq7+Hunter";
    private static final String MARK = "Hunter";

    private static LoopbackPeer peer;

    @BeforeAll
    static void startPeer() {
        peer = LoopbackPeer.scripted(LineScript.pop3().on("PASS", "-ERR [AUTH] invalid user or password").build());
    }

    @AfterAll
    static void stopPeer() {
        peer.close();
    }

    /** A way to give the secret: the URI text (PORT is replaced), the options, whether it is the password. */
    static Stream<Arguments> ways() {
        return Stream.of(
                way("user info", "pop3://bob:Zq7+Hunter@127.0.0.1:PORT", Map.of(), true),
                way("user info, percent-encoded", "pop3://bob:%5Aq7%2BHunter@127.0.0.1:PORT", Map.of(), true),
                way("query value", "pop3://bob@127.0.0.1:PORT?password=Zq7%2BHunter", Map.of(), true),
                way("query name percent-encoded", "pop3://bob@127.0.0.1:PORT?pass%77ord=Zq7+Hunter", Map.of(), true),
                way("query name and value encoded", "pop3://bob@127.0.0.1:PORT?%70%61ssword=%5Aq7%2B%48unter",
                        Map.of(), true),
                way("query name in capitals (a secret name, not the password)",
                        "pop3://bob:x@127.0.0.1:PORT?PASSWORD=Zq7+Hunter", Map.of(), false),
                way("options map", "pop3://bob@127.0.0.1:PORT", Map.of(Options.PASSWORD, SECRET), true),
                way("options map, token", "pop3://bob:x@127.0.0.1:PORT", Map.of("apiToken", SECRET), false),
                way("trust-store password in the query",
                        "pop3s://bob:x@127.0.0.1:PORT?tlsTrustStore=/nonexistent/ks.p12&tlsTrustStorePassword=Zq7+Hunter",
                        Map.of(), false),
                way("trust-store password in the options", "pop3s://bob:x@127.0.0.1:PORT",
                        Map.of("tlsTrustStore", "/nonexistent/ks.p12", "tlsTrustStorePassword", SECRET), false),
                way("opaque URI (no //)", "pop3:bob:Zq7+Hunter@127.0.0.1:PORT", Map.of(), false),
                way("URI that does not parse", "pop3://bob:Zq7+Hunter@bad host:PORT", Map.of(), false),
                way("registry-based authority", "pop3://bob:Zq7+Hunter@bad_host:PORT", Map.of(), false));
    }

    private static Arguments way(String name, String uri, Map<String, String> options, boolean isPassword) {
        return Arguments.of(name, uri, options, isPassword);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ways")
    void aSecretReachesNoOutputOfTheLibrary(String name, String uriTemplate, Map<String, String> options,
            boolean isPassword) {
        String uri = uriTemplate.replace("PORT", String.valueOf(peer.port()));
        List<String> outputs = new ArrayList<>();
        int passesBefore = passes();
        try (PluginHost host = PluginHost.builder().build()) {
            Connection c;
            try {
                c = host.open(uri, Options.of(options));
            } catch (UnplugException e) {
                outputs.add(everything(e));
                assertThat(isPassword).as("only URIs that cannot be used are refused here").isFalse();
                assertNoSecret(name, outputs);
                return;
            }
            outputs.add(String.valueOf(c.uri()));
            outputs.add(c.toString());
            c.addListener(new ConnectionListener() {
                @Override
                public void stateChanged(Connection connection, ConnectionState from, ConnectionState to) {
                    outputs.add(connection + " " + connection.uri() + " " + from + ">" + to);
                }

                @Override
                public void disconnected(Connection connection, DisconnectOutcome outcome) {
                    outputs.add(connection + " " + outcome + " " + outcome.reason() + " "
                            + outcome.lastReply().orElse("") + outcome.cause().map(SecretsTest::everything)
                            .orElse(""));
                }
            });
            try {
                c.connect();
                outputs.add(String.valueOf(c.disconnect()));
            } catch (UnplugException e) {
                outputs.add(everything(e));
            }
            outputs.add(c.toString());
            outputs.add(String.valueOf(c.outcome().orElse(null)));
            outputs.add(host.openConnections().toString());
        }
        assertNoSecret(name, outputs);
        if (isPassword) {
            assertThat(peer.receivedLines()).as("the server received the decoded password, '+' kept")
                    .contains("PASS " + SECRET);
            assertThat(passes()).isEqualTo(passesBefore + 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ways")
    void aSecretReachesNoOutputOfTheCommandLine(String name, String uriTemplate, Map<String, String> options,
            boolean isPassword) {
        String uri = uriTemplate.replace("PORT", String.valueOf(peer.port()));
        for (boolean json : new boolean[] {false, true}) {
            List<String> args = new ArrayList<>(List.of("probe", uri, "--deadline", "1s"));
            options.forEach((k, v) -> args.addAll(List.of("--option", k + "=" + v)));
            if (json) {
                args.add("--json");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(status).as("%s: a failed probe or bad input", name).isIn(1, 2);
            assertNoSecret(name + (json ? " --json" : ""), List.of(out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8)));
        }
    }

    private static int passes() {
        return (int) peer.receivedLines().stream().filter(l -> l.startsWith("PASS ")).count();
    }

    private static void assertNoSecret(String way, List<String> outputs) {
        assertThat(outputs).as("outputs when the secret is given by %s", way).isNotEmpty()
                .allSatisfy(text -> assertThat(text).doesNotContain(MARK).doesNotContain("%48unter"));
    }

    /** Message, causes and the printed stack trace. */
    private static String everything(Throwable t) {
        StringWriter s = new StringWriter();
        t.printStackTrace(new PrintWriter(s));
        StringBuilder all = new StringBuilder(s.toString());
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append('\n').append(c);
            if (c instanceof UnplugException u) {
                all.append(u.serverReply().orElse(""));
            }
        }
        return all.toString();
    }
}
