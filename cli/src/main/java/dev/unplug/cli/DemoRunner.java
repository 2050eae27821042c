package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import java.time.Duration;

/**
 * Runs one protocol's part of the demo the same way for every protocol: connect, real work, graceful
 * disconnect (expected {@link DisconnectOutcome.Kind#CLEAN}); then a second connection and its drop (expected
 * {@link DisconnectOutcome.Kind#DROPPED}). A step that fails stops that protocol's part and is reported with its
 * typed error; nothing is reported as done unless it ran. Stateless.
 */
final class DemoRunner {

    /** The graceful deadline used for every protocol. */
    static final Duration DEADLINE = Duration.ofSeconds(2);

    private DemoRunner() {
    }

    static DemoRow run(PluginHost host, ProtocolDemo demo) {
        if (demo.uri() == null || !host.schemes().contains(demo.scheme())) {
            return new DemoRow(demo.protocol(), "not available yet (no " + demo.scheme() + " plugin in this build)",
                    null, null, DemoRow.Result.NOT_AVAILABLE, null);
        }
        String step = "connect";
        String work = null;
        DisconnectOutcome graceful = null;
        DisconnectOutcome drop = null;
        try {
            Connection first = host.open(demo.uri(), Options.empty());
            try {
                first.connect();
                step = "work";
                work = demo.work(first);
                step = "graceful disconnect";
                graceful = first.disconnect(DEADLINE);
            } finally {
                first.close();
            }
            step = "check after the graceful disconnect";
            String checked = demo.afterGraceful();
            if (!checked.isEmpty()) {
                work = work + "; " + checked;
            }
            step = "second connect";
            Connection second = host.open(demo.uri(), Options.empty());
            try {
                second.connect();
                step = "drop";
                drop = second.drop();
            } finally {
                second.close();
            }
            step = "check after the drop";
            checked = demo.afterDrop();
            if (!checked.isEmpty()) {
                work = work + "; " + checked;
            }
        } catch (UnplugException e) {
            return new DemoRow(demo.protocol(), failedWork(work, step), graceful, drop, DemoRow.Result.FAILED,
                    Errors.line(e));
        } catch (Exception e) {
            return new DemoRow(demo.protocol(), failedWork(work, step), graceful, drop, DemoRow.Result.FAILED,
                    Errors.unexpected(e));
        }
        boolean expected = graceful.kind() == DisconnectOutcome.Kind.CLEAN
                && drop.kind() == DisconnectOutcome.Kind.DROPPED;
        String note = graceful.lastReply().map(r -> "goodbye answered: " + r).orElse(graceful.reason());
        return new DemoRow(demo.protocol(), work, graceful, drop,
                expected ? DemoRow.Result.OK : DemoRow.Result.UNEXPECTED,
                expected ? note : "expected CLEAN then DROPPED: " + graceful + "; " + drop);
    }

    private static String failedWork(String work, String step) {
        return (work == null ? "" : work + "; ") + step + " failed";
    }
}
