package dev.unplug.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Reply parsing over random server lines, through the whole plugin against a real loopback peer: any greeting
 * connects or fails with a typed error, any answer to QUIT gives exactly one outcome (CLEAN only for
 * {@code +OK}), and nothing but {@link UnplugException} ever escapes.
 */
class Pop3ReplyProperties {

    private static final Options QUICK = Options.builder().set(Options.CONNECT_TIMEOUT, "2s")
            .set(Options.READ_TIMEOUT, "2s").build();

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(60).filter(s -> s.indexOf('\r') < 0
                && s.indexOf('\n') < 0);
        Arbitrary<String> plausible = Arbitraries.of("+OK", "+OK bye", "-ERR", "-ERR no", "+ok", "+OKAY", "OK", "+",
                "-", "", " +OK", "+OK\t", "\u0000", "+OK \u00ff\u00fe");
        return Arbitraries.oneOf(noise, plausible, noise.map(s -> "+OK " + s), noise.map(s -> "-ERR " + s));
    }

    @Property(tries = 150)
    void anyGreetingConnectsOrFailsTyped(@ForAll("lines") String greeting) {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.builder(greeting)
                .goodbye(LineScript.command("QUIT"), "+OK bye").build())) {
            Connection c = new Pop3Provider().open(peer.uri("pop3"), QUICK);
            try {
                c.connect();
                assertThat(greeting).as("a greeting accepted").startsWith("+OK");
                c.drop();
            } catch (UnplugException e) {
                assertThat(e.kind()).isIn(ErrorKind.POP3_ERROR, ErrorKind.MALFORMED_REPLY, ErrorKind.TIMEOUT,
                        ErrorKind.SOCKET_ERROR, ErrorKind.CONNECTION_DROPPED);
            }
            assertThat(c.state()).isIn(ConnectionState.DISCONNECTED);
        }
    }

    @Property(tries = 150)
    void anyAnswerToQuitGivesOneOutcome(@ForAll("lines") String answer) {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.pop3().goodbye(LineScript.command("QUIT"), answer)
                .build())) {
            Connection c = new Pop3Provider().open(peer.uri("pop3", "bob:pw"), QUICK);
            c.connect();
            DisconnectOutcome outcome = c.disconnect(Duration.ofSeconds(2));
            assertThat(outcome.kind()).isIn(DisconnectOutcome.Kind.CLEAN, DisconnectOutcome.Kind.REFUSED,
                    DisconnectOutcome.Kind.ESCALATED);
            if (outcome.kind() == DisconnectOutcome.Kind.CLEAN) {
                assertThat(answer).startsWith("+OK");
            }
            assertThat(c.outcome()).containsSame(outcome);
            assertThat(peer.goodbyeCount()).isEqualTo(1);
        }
    }
}
