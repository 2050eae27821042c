package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.time.Duration;

/**
 * The demo's hostile case: a graceful disconnect, with a 300 ms deadline, against an SMTP peer on loopback that
 * never answers {@code QUIT}. Expected: {@link DisconnectOutcome.Kind#ESCALATED} (the connection is dropped when
 * the deadline passes), with {@code QUIT} sent exactly once. Stateless.
 */
final class HostileDemo {

    static final Duration DEADLINE = Duration.ofMillis(300);

    private HostileDemo() {
    }

    static DemoRow run(PluginHost host) {
        String work = "SMTP peer never answers QUIT, deadline " + DEADLINE.toMillis() + " ms";
        if (!host.schemes().contains("smtp")) {
            return new DemoRow("HOSTILE", "not available yet (no smtp plugin in this build)", null, null,
                    DemoRow.Result.NOT_AVAILABLE, null);
        }
        try (LoopbackPeer peer = LoopbackPeer.neverAnswersGoodbye(LineScript.smtp().build())) {
            Connection connection = host.open(peer.uri("smtp"), Options.empty());
            DisconnectOutcome outcome;
            try {
                connection.connect();
                outcome = connection.disconnect(DEADLINE);
            } finally {
                connection.close();
            }
            boolean quitOnce = peer.awaitGoodbyes(1, Duration.ofSeconds(2)) && peer.goodbyeCount() == 1;
            boolean expected = outcome.kind() == DisconnectOutcome.Kind.ESCALATED && quitOnce;
            return new DemoRow("HOSTILE", work + (quitOnce ? "; QUIT sent once" : ""), outcome, null,
                    expected ? DemoRow.Result.OK : DemoRow.Result.UNEXPECTED,
                    expected ? outcome.reason() : "expected ESCALATED with QUIT sent once: " + outcome
                            + ", QUIT seen " + peer.goodbyeCount() + " time(s)");
        } catch (UnplugException e) {
            return new DemoRow("HOSTILE", work + "; failed", null, null, DemoRow.Result.FAILED, Errors.line(e));
        } catch (RuntimeException e) {
            return new DemoRow("HOSTILE", work + "; failed", null, null, DemoRow.Result.FAILED,
                    Errors.unexpected(e));
        }
    }
}
