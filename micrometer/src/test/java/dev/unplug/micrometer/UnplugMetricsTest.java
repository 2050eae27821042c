package dev.unplug.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The metrics of a real plugin host (the smtp plugin) against loopback SMTP peers, read from a simple registry. */
class UnplugMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private long timed(String name, String... tags) {
        var timer = registry.find(name).tags(tags).timer();
        return timer == null ? 0 : timer.count();
    }

    private double open(String plugin) {
        return registry.get(UnplugMetrics.OPEN).tag("plugin", plugin).gauge().value();
    }

    @Test
    void everyEndingIsCountedByPluginModeAndOutcomeAndTimed() {
        try (LoopbackPeer answering = LoopbackPeer.scripted(LineScript.smtp().build());
                LoopbackPeer silent = LoopbackPeer.neverAnswersGoodbye(LineScript.smtp().build());
                PluginHost host = PluginHost.fromClassPath();
                UnplugMetrics metrics = new UnplugMetrics(host, Tags.of("app", "test"))) {
            metrics.bindTo(registry);
            Connection graceful = host.open(answering.uri("smtp"), Options.empty());
            Connection dropped = host.open(answering.uri("smtp"), Options.empty());
            Connection late = host.open(silent.uri("smtp"), Options.empty());
            graceful.connect();
            dropped.connect();
            late.connect();
            assertThat(open("smtp")).isEqualTo(3);
            assertThat(open("imap")).as("one gauge per plugin the host found").isZero();

            graceful.disconnect(Duration.ofSeconds(2));
            dropped.drop();
            late.disconnect(Duration.ofMillis(200));

            assertThat(count(UnplugMetrics.ENDINGS, "plugin", "smtp", "mode", "graceful", "outcome", "CLEAN"))
                    .isEqualTo(1);
            assertThat(count(UnplugMetrics.ENDINGS, "plugin", "smtp", "mode", "graceful", "outcome", "ESCALATED"))
                    .isEqualTo(1);
            assertThat(count(UnplugMetrics.ENDINGS, "plugin", "smtp", "mode", "drop", "outcome", "DROPPED"))
                    .isEqualTo(1);
            assertThat(timed(UnplugMetrics.DISCONNECT, "plugin", "smtp", "outcome", "CLEAN")).isEqualTo(1);
            assertThat(registry.get(UnplugMetrics.DISCONNECT).tags("outcome", "ESCALATED").timer()
                    .totalTime(TimeUnit.MILLISECONDS)).as("the escalation waited for its 200 ms deadline")
                    .isGreaterThanOrEqualTo(190);
            assertThat(timed(UnplugMetrics.DROP, "plugin", "smtp")).isEqualTo(1);
            assertThat(open("smtp")).isZero();
            assertThat(registry.getMeters()).as("every meter carries the constructor's tags")
                    .allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("test"));
        }
    }

    @Test
    void aConnectThatFailsIsCountedAsFailedNeitherAsADropNorADisconnect() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (PluginHost host = PluginHost.fromClassPath(); UnplugMetrics metrics = new UnplugMetrics(host)) {
            metrics.bindTo(registry);
            Connection c = host.open(URI.create("smtp://127.0.0.1:" + closedPort), Options.empty());
            assertThatThrownBy(c::connect).isInstanceOf(UnplugException.class);
            assertThat(count(UnplugMetrics.ENDINGS, "plugin", "smtp", "mode", "failed", "outcome", "FAILED"))
                    .isEqualTo(1);
            assertThat(registry.find(UnplugMetrics.DROP).timer()).isNull();
            assertThat(registry.find(UnplugMetrics.DISCONNECT).timer()).isNull();
        }
    }

    @Test
    void aShutdownIsTimedAndItsConnectionsCountedByOutcome() {
        try (LoopbackPeer answering = LoopbackPeer.scripted(LineScript.smtp().build());
                LoopbackPeer silent = LoopbackPeer.neverAnswersGoodbye(LineScript.smtp().build());
                PluginHost host = PluginHost.fromClassPath();
                UnplugMetrics metrics = new UnplugMetrics(host)) {
            metrics.bindTo(registry);
            for (int i = 0; i < 4; i++) {
                host.open(answering.uri("smtp"), Options.empty()).connect();
            }
            host.open(silent.uri("smtp"), Options.empty()).connect();
            host.shutdown(Duration.ofMillis(500));

            assertThat(timed(UnplugMetrics.SHUTDOWN)).isEqualTo(1);
            assertThat(count(UnplugMetrics.SHUTDOWN_CONNECTIONS, "outcome", "CLEAN")).isEqualTo(4);
            assertThat(count(UnplugMetrics.SHUTDOWN_CONNECTIONS, "outcome", "ESCALATED")).isEqualTo(1);
            assertThat(registry.get(UnplugMetrics.SHUTDOWN_LATE).counter().count()).isIn(0.0, 1.0);
            assertThat(count(UnplugMetrics.ENDINGS, "plugin", "smtp", "mode", "graceful", "outcome", "CLEAN"))
                    .isEqualTo(4);
        }
    }

    @Test
    void closedMetricsRecordNothingMoreAndCannotBeBoundAgain() {
        try (LoopbackPeer answering = LoopbackPeer.scripted(LineScript.smtp().build());
                PluginHost host = PluginHost.fromClassPath()) {
            UnplugMetrics metrics = new UnplugMetrics(host);
            metrics.bindTo(registry);
            metrics.close();
            Connection c = host.open(answering.uri("smtp"), Options.empty());
            c.connect();
            c.drop();
            assertThat(registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName))
                    .doesNotContain(UnplugMetrics.ENDINGS, UnplugMetrics.DROP);
            assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry())).isInstanceOf(UnplugException.class)
                    .satisfies(e -> assertThat(((UnplugException) e).kind()).isEqualTo(ErrorKind.INVALID_STATE));
            assertThatThrownBy(() -> new UnplugMetrics(null)).isInstanceOf(UnplugException.class)
                    .hasMessageContaining("host");
        }
    }

    @Test
    void noMeterCarriesTheUriOrItsPassword() {
        try (LoopbackPeer answering = LoopbackPeer.scripted(LineScript.smtp().on("AUTH", "235 ok").build());
                PluginHost host = PluginHost.fromClassPath(); UnplugMetrics metrics = new UnplugMetrics(host)) {
            metrics.bindTo(registry);
            Connection c = host.open(answering.uri("smtp", "alice:MetricSecret9"), Options.empty());
            c.connect();
            c.disconnect(Duration.ofSeconds(2));
            assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().toString())
                    .doesNotContain("MetricSecret9").doesNotContain("127.0.0.1"));
        }
    }
}
