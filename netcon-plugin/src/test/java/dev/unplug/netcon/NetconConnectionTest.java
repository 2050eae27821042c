package dev.unplug.netcon;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.link.LinkControl;
import dev.unplug.api.link.LinkStatus;
import dev.unplug.testkit.ProcessResources;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Links in a namespace of each test's own: connect, graceful disconnect, drop, the status events the kernel
 * announces, and the standard errors where they truly arise.
 */
class NetconConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Set<Thread> threadsBefore;

    @BeforeAll
    static void baseline() {
        threadsBefore = ProcessResources.liveThreads();
    }

    private static Connection open(Netns ns, String link, String... options) {
        StringBuilder uri = new StringBuilder("netcon://" + link + "?netns=" + ns.name);
        for (String o : options) {
            uri.append('&').append(o);
        }
        return new NetconProvider().open(URI.create(uri.toString()), Options.empty());
    }

    @Test
    void connectBringsTheLinkUpAndReturnsOnceTheKernelReportsItOperational() {
        try (Netns ns = new Netns()) {
            ns.in("link", "set", "vb", "up");
            Connection c = open(ns, "va");
            c.connect();
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(c.unwrap(LinkControl.class).status()).isEqualTo(LinkStatus.CONNECTED);
            assertThat(ns.up("va")).isTrue();
            c.drop();
        }
    }

    @Test
    void aGracefulDisconnectBringsTheLinkDownAndWaitsForTheKernelToSaySo() {
        try (Netns ns = new Netns()) {
            ns.in("link", "set", "vb", "up");
            Connection c = open(ns, "va");
            c.connect();
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            assertThat(o).isClean().hasLastReplyContaining("link va down");
            assertThat(ns.up("va")).isFalse();
            assertThat(c.unwrap(LinkControl.class).status()).isEqualTo(LinkStatus.DISCONNECTED);
        }
    }

    @Test
    void concurrentDisconnectsBringTheLinkDownOnceAndAllSeeTheSameOutcome() throws Exception {
        try (Netns ns = new Netns()) {
            ns.in("link", "set", "vb", "up");
            Connection c = open(ns, "va");
            c.connect();
            List<LinkStatus> seen = new CopyOnWriteArrayList<>();
            c.unwrap(LinkControl.class).addLinkListener((from, to, kernel) -> seen.add(to));
            List<DisconnectOutcome> outcomes = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            // all eight call together: one started after the 5 ms goodbye ended would rightly get NOT_CONNECTED
            CountDownLatch ready = new CountDownLatch(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                threads.add(new Thread(() -> {
                    try {
                        ready.countDown();
                        go.await();
                        outcomes.add(c.disconnect(Duration.ofSeconds(2)));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertThat(failures).isEmpty();
            assertThat(outcomes).hasSize(8).allSatisfy(o -> assertThat(o).isClean());
            assertThat(outcomes.stream().distinct()).as("one ending, seen by all").hasSize(1);
            assertThat(seen.stream().filter(s -> s == LinkStatus.DISCONNECTING)).as("one goodbye").hasSize(1);
            assertThat(ns.up("va")).isFalse();
        }
    }

    @Test
    void aDropSetsTheLinkDownWithoutWaiting() {
        try (Netns ns = new Netns()) {
            ns.in("link", "set", "vb", "up");
            Connection c = open(ns, "va");
            c.connect();
            assertThat(c.drop()).isDropped();
            assertThat(ProcessResources.awaitCondition(() -> !ns.up("va"), WAIT)).as("down soon after").isTrue();
            assertThat(c.drop()).as("idempotent").isDropped();
        }
    }

    @Test
    void tenDropsAtOnceInOneNamespaceSetEveryLinkDown() throws Exception {
        try (Netns ns = new Netns()) {
            List<Connection> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ns.in("link", "add", "x" + i, "type", "veth", "peer", "name", "y" + i);
                ns.in("link", "set", "y" + i, "up");
                Connection c = open(ns, "x" + i);
                c.connect();
                all.add(c);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (Connection c : all) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        c.drop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            // the drops' downs are batched (one ip process at a time per namespace, each taking every link queued
            // while the one before ran): none may be left behind
            for (int i = 0; i < 10; i++) {
                String link = "x" + i;
                assertThat(ProcessResources.awaitCondition(() -> !ns.up(link), WAIT)).as(link + " down").isTrue();
            }
        }
    }

    @Test
    void statusFollowsTheKernelMediaDisconnectedDisabledAndNotPresent() {
        try (Netns ns = new Netns()) {
            ns.in("link", "set", "vb", "up");
            Connection c = open(ns, "va");
            c.connect();
            LinkControl link = c.unwrap(LinkControl.class);
            List<LinkStatus> seen = new CopyOnWriteArrayList<>();
            link.addLinkListener((from, to, kernel) -> seen.add(to));

            ns.in("link", "set", "vb", "down");                     // the peer: no carrier
            await(link, LinkStatus.MEDIA_DISCONNECTED);
            ns.in("link", "set", "vb", "up");
            await(link, LinkStatus.CONNECTED);
            ns.in("link", "set", "va", "down");                     // someone else disables it
            await(link, LinkStatus.HARDWARE_DISABLED);
            ns.in("link", "del", "va");                             // the link vanishes
            await(link, LinkStatus.HARDWARE_NOT_PRESENT);
            assertThat(seen).containsSubsequence(LinkStatus.MEDIA_DISCONNECTED, LinkStatus.CONNECTED,
                    LinkStatus.HARDWARE_DISABLED, LinkStatus.HARDWARE_NOT_PRESENT);
            c.drop();
        }
    }

    @Test
    void aLinkWithoutCarrierLikeAnEmptyBridgeIsConnectedWhenUpInStateUnknown() {
        try (Netns ns = new Netns()) {
            Connection c = open(ns, "br0");
            c.connect();
            assertThat(c.unwrap(LinkControl.class).status()).isEqualTo(LinkStatus.CONNECTED);
            assertThat(c.disconnect()).isClean();
        }
    }

    @Test
    void aVethsCarrierCannotBeSetItsTypeDoesNotSupportIt() {
        try (Netns ns = new Netns()) {
            ns.in("link", "set", "vb", "up");
            Connection veth = open(ns, "va");
            assertThatUnplugThrownBy(() -> veth.unwrap(LinkControl.class).setCarrier(false))
                    .hasKind(ErrorKind.NOT_CONNECTED);
            veth.connect();
            assertThatUnplugThrownBy(() -> veth.unwrap(LinkControl.class).setCarrier(false))
                    .hasKind(ErrorKind.NOT_SUPPORTED).messageContains("cannot do it");
            assertThat(veth.unwrap(LinkControl.class).status()).isEqualTo(LinkStatus.CONNECTED);
            veth.disconnect();
        }
    }

    @Test
    void aDummyLinksCarrierCanBePulledAndPluggedBack() {
        try (Netns ns = new Netns()) {
            ns.addDummy();
            Connection dummy = open(ns, "d0");
            dummy.connect();
            LinkControl d = dummy.unwrap(LinkControl.class);
            d.setCarrier(false);
            await(d, LinkStatus.MEDIA_DISCONNECTED);
            d.setCarrier(true);
            await(d, LinkStatus.CONNECTED);
            dummy.disconnect();
        }
    }

    @Test
    void aLinkWhosePeerIsDownNeverBecomesOperationalSoConnectTimesOutNamingItAndLeavesItDown() {
        try (Netns ns = new Netns()) {
            Connection c = open(ns, "va", "connectTimeout=500ms");
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.TIMEOUT).messageContains("MEDIA_DISCONNECTED");
            assertThat(ProcessResources.awaitCondition(() -> !ns.up("va"), WAIT)).as("left down").isTrue();
        }
    }

    @Test
    void aLinkDeletedWhileConnectingAbortsTheConnect() throws Exception {
        try (Netns ns = new Netns()) {
            Connection c = open(ns, "va", "connectTimeout=10s");
            Thread deleter = new Thread(() -> {
                ProcessResources.awaitCondition(() -> ns.up("va"), WAIT);
                ns.in("link", "del", "va");
            });
            deleter.start();
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.ABORTED).messageContains("deleted while connecting");
            deleter.join(10_000);
        }
    }

    @Test
    void aLinkDeletedBeforeTheGoodbyeMakesItEscalateWithAborted() {
        try (Netns ns = new Netns()) {
            ns.in("link", "set", "vb", "up");
            Connection c = open(ns, "va");
            c.connect();
            ns.in("link", "del", "va");
            assertThat(c.disconnect(Duration.ofSeconds(2))).hasCauseOfKind(ErrorKind.ABORTED);
        }
    }

    @Test
    void noSuchLinkOrNamespaceIsAnInvalidArgumentAndChangesNothing() {
        try (Netns ns = new Netns()) {
            Connection c = open(ns, "nothere");
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("no link");
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            Connection elsewhere = new NetconProvider().open(URI.create("netcon://va?netns=" + ns.name + "-none"),
                    Options.empty());
            assertThatUnplugThrownBy(elsewhere::connect).hasKind(ErrorKind.INVALID_ARGUMENT)
                    .messageContains("no network namespace");
            assertThat(ns.up("va")).isFalse();
        }
    }

    @Test
    void anAbortReturnsWithoutWaitingForTheLinkToGoDownWhichHappensOnTheCleanUpThread() {
        try (Netns ns = new Netns()) {
            ns.in("link", "set", "vb", "up");
            // an ip whose batch of "set ... down" takes a second, as a slow fork on a loaded machine would
            NetconConnection c = (NetconConnection) new NetconProvider(List.of("sh", "-c",
                    "case \"$*\" in *' -batch '*) sleep 1;; esac; exec ip \"$@\"", "sh"))
                    .open(URI.create("netcon://va?netns=" + ns.name), Options.empty());
            c.connect();
            c.abortTransport(false); // what the deadline thread runs when a disconnect escalates
            assertThat(ns.up("va")).as("the link when the abort returned: its cleanup had not run yet").isTrue();
            assertThat(ProcessResources.awaitCondition(() -> !ns.up("va"), WAIT))
                    .as("the link went down afterwards, on the clean-up thread").isTrue();
            c.drop();
        }
    }

    @Test
    void withoutThePermissionConnectIsAccessDeniedWithTheKernelsReason() {
        try (Netns ns = new Netns()) {
            Connection c = new NetconProvider(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "--inh-caps=-all", "ip")).open(URI.create("netcon://va?netns=" + ns.name), Options.empty());
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.ACCESS_DENIED).messageContains("CAP_NET_ADMIN")
                    .messageContains("Operation not permitted");
            assertThat(ns.up("va")).isFalse();
        }
    }

    @Test
    void badUrisAndNamesAreTypedErrorsRaisedByOpenBeforeAnyCommandRuns() {
        NetconProvider p = new NetconProvider();
        assertThatUnplugThrownBy(() -> p.open(null, Options.empty())).hasKind(ErrorKind.NULL_ARGUMENT);
        for (String bad : List.of("netcon://va:80", "netcon://va/path", "netcon://a-name-far-too-long-for-linux",
                "netcon:va", "smtp://va", "netcon://va?netns=..", "netcon://va?netns=a%20b", "netcon://va?netns=a/b",
                "netcon://%2e%2e")) {
            assertThatUnplugThrownBy(() -> p.open(URI.create(bad), Options.empty())).as(bad)
                    .hasKind(ErrorKind.INVALID_ARGUMENT);
        }
        Connection never = p.open(URI.create("netcon://va"), Options.empty());
        assertThatUnplugThrownBy(never::drop).hasKind(ErrorKind.NOT_INITIALISED);
    }

    @AfterAll
    static void nothingIsLeft() throws Exception {
        assertThat(Netns.leftOver()).as("namespaces").isEmpty();
        assertThat(ProcessResources.awaitCondition(() -> ProcessHandle.current().children().findAny().isEmpty(),
                WAIT)).as("processes (ip monitor)").isTrue();
        assertThat(ProcessResources.awaitCondition(() -> ProcessResources.threadsNotIn(threadsBefore).stream()
                .noneMatch(t -> t.getName().startsWith("unplug-netcon")), WAIT)).as("threads").isTrue();
    }

    @Test
    void twentyLinksConnectingAtOnceShareTheirIpProcessesAndEachGetsItsOwnOutcome() throws Exception {
        try (Netns ns = new Netns()) {
            for (int i = 0; i < 20; i += 2) { // even links exist and become operational, odd ones do not exist
                ns.in("link", "add", "wa" + i, "type", "veth", "peer", "name", "wb" + i);
                ns.in("link", "set", "wb" + i, "up");
            }
            Path log = Files.createTempFile("unplug-netcon-forks", ".log");
            // an ip that notes each time it is started
            NetconProvider counted = new NetconProvider(List.of("sh", "-c", "echo x >> '" + log
                    + "'; exec ip \"$@\"", "sh"));
            List<Connection> all = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    all.add(counted.open(URI.create("netcon://wa" + i + "?netns=" + ns.name), Options.builder()
                            .set(Options.CONNECT_TIMEOUT, "3s").build()));
                }
                List<String> results = connectTogether(all);
                for (int i = 0; i < 20; i++) {
                    assertThat(results.get(i)).as("wa" + i).isEqualTo(i % 2 == 0 ? "CONNECTED" : "INVALID_ARGUMENT");
                }
                assertThat(Files.readAllLines(log)).as("ip processes for 20 connects (one each would be 80)")
                        .hasSizeLessThanOrEqualTo(20);
            } finally {
                all.forEach(Connection::close);
                Files.deleteIfExists(log);
            }
        }
    }

    /** Connects them all from threads released together: each one's state, or the kind of its error. */
    private static List<String> connectTogether(List<Connection> all) throws InterruptedException {
        List<String> results = new CopyOnWriteArrayList<>(Collections.nCopies(all.size(), "none"));
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            int k = i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    all.get(k).connect();
                    results.set(k, "CONNECTED");
                } catch (UnplugException e) {
                    results.set(k, e.kind().name());
                } catch (InterruptedException e) {
                    results.set(k, "interrupted");
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(WAIT.toMillis());
        }
        return results;
    }

    @Test
    void aBatchOfLinkChangesGivesEachLineItsOwnError() {
        try (Netns ns = new Netns()) {
            Ip ip = new Ip(List.of("ip"), ns.name);
            CountDownLatch go = new CountDownLatch(1);
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (String link : List.of("va", "nope0", "vb")) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        ip.set("bringing " + link + " up", WAIT, link, "up");
                        outcomes.add(link + " up");
                    } catch (UnplugException e) {
                        outcomes.add(link + " " + e.kind() + ": " + e.getMessage());
                    } catch (InterruptedException e) {
                        outcomes.add(link + " interrupted");
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                try {
                    t.join(WAIT.toMillis());
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            assertThat(outcomes).hasSize(3).contains("va up", "vb up").anySatisfy(o -> assertThat(o.toString())
                    .startsWith("nope0 INVALID_ARGUMENT: bringing nope0 up: no link").contains("Cannot find device"));
            assertThat(ns.up("va")).isTrue();
            assertThat(ns.up("vb")).isTrue();
        }
    }

    private static void await(LinkControl link, LinkStatus status) {
        assertThat(ProcessResources.awaitCondition(() -> link.status() == status, WAIT))
                .as("status " + status + ", is " + link.status()).isTrue();
    }
}
