package dev.unplug.testkit.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.ConnectionContractTest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Proves that the TCK fails plugins that break the contract: each broken variant of the line plugin is run
 * through the TCK check it violates (inside this test, with JUnit's {@link EngineTestKit}), and that check must
 * fail, while the healthy plugin passes the same check.
 */
class TckCatchesBrokenPluginsTest {

    /** The line plugin with a fault switched on through its URI. */
    abstract static class Faulty extends ConnectionContractTest {
        abstract String fault();

        @Override
        protected Class<? extends UnplugProvider> providerType() {
            return LineProvider.class;
        }

        @Override
        protected LineScript script() {
            return LineConnectionContractTest.lineScript();
        }

        @Override
        protected URI uri(int port) {
            return URI.create("line://127.0.0.1:" + port + "?fault=" + fault());
        }
    }

    static class Healthy extends Faulty {
        @Override
        String fault() {
            return "none";
        }
    }

    static class IoInOpen extends Faulty {
        @Override
        String fault() {
            return "ioInOpen";
        }
    }

    static class GoodbyeOnDrop extends Faulty {
        @Override
        String fault() {
            return "goodbyeOnDrop";
        }
    }

    static class LeakSocket extends Faulty {
        @Override
        String fault() {
            return "leakSocket";
        }
    }

    static class DoubleGoodbye extends Faulty {
        @Override
        String fault() {
            return "doubleGoodbye";
        }
    }

    static class IgnoreDeadline extends Faulty {
        @Override
        String fault() {
            return "ignoreDeadline";
        }
    }

    /** A plugin that declares COMMANDS but gives no blocking operation: the checks that need one must fail. */
    static class NoBlockingOperation extends Healthy {
        @Override
        protected org.junit.jupiter.api.function.Executable blockingOperation(dev.unplug.api.Connection c) {
            return null;
        }
    }

    /** A plugin that declares no COMMANDS: the checks about commands do not apply, and say so. */
    static class NoCommands extends Healthy {
        @Override
        protected Class<? extends UnplugProvider> providerType() {
            return ThreadStartingLineProvider.Quiet.class;
        }
    }

    static class ThreadStarting extends Healthy {
        @Override
        protected Class<? extends UnplugProvider> providerType() {
            return ThreadStartingLineProvider.class;
        }
    }

    @ParameterizedTest(name = "{0} fails {1}")
    @CsvSource({
        "IoInOpen, openDoesNoIo",
        "GoodbyeOnDrop, dropIsImmediateAndSendsNoGoodbye",
        "LeakSocket, noSocketOrThreadLeaksAfterConnectDisconnectCycles",
        "DoubleGoodbye, goodbyeIsSentExactlyOnceUnderConcurrentDisconnects",
        "IgnoreDeadline, deadlineHoldsAgainstAPeerThatNeverAnswersTheGoodbye",
        "ThreadStarting, constructingTheProviderIsCheap",
    })
    void theTckFailsAPluginThatBreaksTheContract(String variant, String check) throws Exception {
        Events failing = run(variant, check);
        assertThat(failing.failed().count()).as("%s failed by %s", check, variant).isEqualTo(1);
        Events healthy = run("Healthy", check);
        assertThat(healthy.succeeded().count()).as("%s passed by the healthy plugin", check).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "dropWhileAnotherThreadIsBlockedInIoReturnsPromptly",
        "disconnectsWaitingForACommandInFlightShareOneGoodbyeAndOneOutcome",
    })
    void aPluginDeclaringCommandsWithoutABlockingOperationFailsTheCommandChecksWithoutLeavingAConnectionOpen(
            String check) throws Exception {
        Events events = run("NoBlockingOperation", check);
        assertThat(events.failed().count()).as("%s failed", check).isEqualTo(1);
        Throwable failure = events.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult
                .class).flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
        assertThat(failure.getMessage()).contains("blockingOperation");
        assertThat(failure.getSuppressed()).as("further failures (a connection left open)").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "dropWhileAnotherThreadIsBlockedInIoReturnsPromptly, 18",
        "disconnectsWaitingForACommandInFlightShareOneGoodbyeAndOneOutcome, 19",
    })
    void aCheckThatNeedsACapabilityThePluginLacksIsReportedNotApplicableWithTheReason(String check, int rule)
            throws Exception {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(NoCommands.class,
                ConnectionContractTest.class.getMethod(check, parameterTypes(check)))).execute().testEvents();
        assertThat(events.failed().count()).as("%s failed", check).isZero();
        assertThat(events.skipped().list()).as("%s reported not applicable", check).singleElement()
                .satisfies(e -> assertThat(e.getPayload(String.class)).hasValueSatisfying(reason -> assertThat(reason)
                        .contains("TCK rule " + rule + " is not applicable to plugin 'line-quiet'")
                        .contains("declares no COMMANDS capability")));
    }

    @Test
    void theTckFailsAProviderThatIsNotRegisteredForServiceLoader() throws Exception {
        Events events = run("ThreadStarting", "providerIsFoundByServiceLoaderAndServesTheSchemesItDeclares");
        assertThat(events.failed().count()).isEqualTo(1);
        List<Event> failures = events.failed().list();
        assertThat(message(failures.get(0))).contains("ServiceLoader");
    }

    private static String message(Event failure) {
        return failure.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage)
                .orElse("");
    }

    private static Events run(String variant, String check) throws Exception {
        Class<?> type = Class.forName(TckCatchesBrokenPluginsTest.class.getName() + "$" + variant);
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(type, ConnectionContractTest.class.getMethod(check,
                        parameterTypes(check))))
                .execute().testEvents();
    }

    private static Class<?>[] parameterTypes(String check) {
        for (var m : ConnectionContractTest.class.getMethods()) {
            if (m.getName().equals(check)) {
                return m.getParameterTypes();
            }
        }
        throw new IllegalArgumentException("no TCK check named " + check);
    }
}
