package dev.unplug.testkit.tck;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.unplug.api.BusyPolicy;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.PendingDisconnect;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.ProcessResources;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.tck.TckSupport.EndingRecorder;
import dev.unplug.testkit.tck.TckSupport.Worker;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The connection contract every plugin must keep, as abstract JUnit 5 tests. A plugin's test extends this
 * class and says how to reach a peer; the TCK then checks discovery, cheap construction, the seeds' errors,
 * clean and escalated disconnects, drop, exactly-once goodbye, and leaks, against real loopback sockets.
 *
 * <pre>{@code
 * class SmtpContractTest extends ConnectionContractTest {
 *     protected Class<? extends UnplugProvider> providerType() { return SmtpProvider.class; }
 *     protected LineScript script() { return LineScript.smtp().build(); }
 *     protected URI uri(int port) { return URI.create("smtp://127.0.0.1:" + port); }
 *     protected Executable blockingOperation(Connection c) { return () -> c.unwrap(SmtpOps.class).noop(); }
 * }
 * }</pre>
 *
 * <h2>What a plugin supplies</h2>
 * <ul>
 *   <li>{@link #providerType()}: the provider class, which must be registered for {@link ServiceLoader};</li>
 *   <li>{@link #uri(int)}: the URI of a server on {@code 127.0.0.1} at a port, with user info when the plugin
 *       logs in (a device ignores the port);</li>
 *   <li>its peers, through the peer control {@link #startPeer(PeerBehaviour)}: by default a {@link LoopbackPeer}
 *       playing {@link #script()} (greeting, login replies, goodbye and its answer), well or badly, and counting
 *       goodbyes on the wire; a plugin whose peer is not a line-protocol socket (a binary protocol, a device)
 *       overrides {@code startPeer} and returns its own {@link TckPeer};</li>
 *   <li>optionally {@link #options()} (trust store, timeouts), {@link #peerBuilder()} (for instance
 *       {@code .tls()} for an implicit-TLS scheme), {@link #startNormalPeer()} (a real server such as GreenMail
 *       for the clean-disconnect and leak checks), and {@link #blockingOperation(Connection)} (required when the
 *       plugin declares {@link Capability#COMMANDS}).</li>
 * </ul>
 *
 * <h2>Rules that do not apply</h2>
 * A rule that cannot apply to a plugin follows from what the plugin declares in
 * {@link UnplugProvider#capabilities()}: without {@link Capability#GRACEFUL_GOODBYE} (a goodbye a remote peer
 * answers) the rules about unanswered, reset and slow goodbyes, without {@link Capability#COMMANDS} the rules about
 * commands. Those checks are reported as not applicable, naming the rule, the plugin and the capability; a plugin
 * never disables a check itself. Time limits are hang guards, not speed targets.
 *
 * @since 0.1
 */
@ExtendWith({UnplugExtension.class, Applicability.class})
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@API(status = API.Status.STABLE, since = "0.1")
public abstract class ConnectionContractTest {

    /** A password that must never be shown. */
    static final String SECRET = "Tck5ecretPassw0rd";
    private static final Duration GUARD = Duration.ofSeconds(2);
    private static final String PEER_THREADS = "unplug-peer-";
    private static final String NO_REMOTE_GOODBYE = "its goodbye is local, not sent to a peer that could answer it"
            + " late, never or with a reset";
    private static final String NO_COMMANDS = "it offers no operation that sends a command and blocks for its reply";

    private UnplugProvider provider;

    /** Creates the test; JUnit does this. */
    protected ConnectionContractTest() {
    }

    // ------------------------------------------------------------------ what a plugin supplies

    /** The provider class under test; it must be registered for {@link ServiceLoader} (services file or module). */
    protected abstract Class<? extends UnplugProvider> providerType();

    /**
     * The plugin's protocol as the default peers speak it: greeting, replies needed to connect and log in, goodbye.
     * Required unless the plugin overrides {@link #startPeer(PeerBehaviour)} (and {@link #startNormalPeer()}).
     */
    protected LineScript script() {
        throw new AssertionError(getClass().getName() + " must override script() (a line protocol) or"
                + " startPeer(PeerBehaviour) (any other peer)");
    }

    /**
     * The URI that reaches a server at {@code 127.0.0.1:port}, with user info when the plugin logs in (the
     * script accepts any login). Its scheme must be one the plugin serves.
     */
    protected abstract URI uri(int port);

    /** Options for every connection the TCK opens (trust store, timeouts); empty by default. */
    protected Options options() {
        return Options.empty();
    }

    /**
     * A URI whose connect cannot reach its target: by default {@link #uri(int)} at a loopback port where nothing
     * listens; a device returns one naming a device that does not exist.
     */
    protected URI unreachableUri() {
        return uri(TckSupport.unusedPort());
    }

    /** How the TCK builds its loopback peers: from {@link #script()}; override to add {@code .tls()}. */
    protected LoopbackPeer.Builder peerBuilder() {
        return LoopbackPeer.builder(script());
    }

    /**
     * The TCK's peer control: starts a peer that behaves as asked. By default a {@link LoopbackPeer} from
     * {@link #peerBuilder()}. A plugin whose peer is something else returns its own {@link TckPeer}; it need
     * produce only the behaviours its capabilities make the TCK ask for ({@link PeerBehaviour#NORMAL} always;
     * the others only with {@link Capability#GRACEFUL_GOODBYE}).
     *
     * @param behaviour how the peer behaves
     * @return the running peer, which the TCK closes
     */
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        LoopbackPeer.Builder b = peerBuilder();
        LoopbackPeer peer = (switch (behaviour) {
            case NORMAL -> b;
            case NEVER_ANSWERS_GOODBYE -> b.neverAnswerGoodbye();
            case RESETS_ON_GOODBYE -> b.resetOnGoodbye();
            case SLOW_GOODBYE -> b.goodbyeDelay(Duration.ofMillis(500));
            case SILENT -> b.silentAfterAccept();
        }).start();
        return TckPeer.of(peer, uri(peer.port()));
    }

    /**
     * A server that behaves normally, for the clean-disconnect and leak checks: {@link #startPeer(PeerBehaviour)
     * startPeer(NORMAL)} by default; override to use a real server (GreenMail, say) for those checks.
     */
    protected TckPeer startNormalPeer() {
        return startPeer(PeerBehaviour.NORMAL);
    }

    /**
     * An operation on a connected connection that sends one command and blocks reading its reply, which the
     * peer answers (a NOOP, say). The TCK runs it on another thread: once after {@link TckPeer#mute() muting} the
     * peer, so the reply never comes, then drops the connection (the operation must fail with
     * {@link ErrorKind#CONNECTION_DROPPED}); and once with the reply {@link TckPeer#delayReplies delayed}, while
     * disconnects wait for it (the operation must succeed). Required when the plugin declares
     * {@link Capability#COMMANDS}; unused otherwise.
     *
     * @param connection a connected connection
     * @return the operation; null (the default) only for a plugin without {@link Capability#COMMANDS}
     */
    protected Executable blockingOperation(Connection connection) {
        return null;
    }

    /**
     * Whether the plugin sends its goodbye without waiting for the answer in
     * {@link AbstractConnection#beginDisconnect(Duration)} (it overrides {@code sendGoodbye},
     * {@code goodbyeAnswerReady} and {@code readGoodbye}); then the TCK checks that a silent server holds no
     * thread. False by default: the base's {@code sendGoodbye} waits, which the contract allows.
     */
    protected boolean defersGoodbyeAnswer() {
        return false;
    }

    // ------------------------------------------------------------------ discovery and construction

    /** The provider is found by {@link ServiceLoader}, declares itself validly and serves its schemes. */
    @Test
    public void providerIsFoundByServiceLoaderAndServesTheSchemesItDeclares(ConnectionTracker tracker) {
        Class<? extends UnplugProvider> type = providerType();
        List<ServiceLoader.Provider<UnplugProvider>> found = ServiceLoader.load(UnplugProvider.class,
                type.getClassLoader()).stream().filter(p -> p.type() == type).collect(Collectors.toList());
        assertThat(found).as(rule(1, "the provider must be registered for ServiceLoader exactly once"
                + " (META-INF/services or module-info provides): registrations of " + type.getName())).hasSize(1);

        UnplugPlugin declared = UnplugProvider.declaration(type);
        assertThat(declared.id()).as("@UnplugPlugin id").matches("[a-z0-9][a-z0-9.-]*");
        assertThat(declared.schemes()).as("@UnplugPlugin schemes").isNotEmpty()
                .allMatch(s -> s.matches("[a-z][a-z0-9+.-]*"), "lower-case URI schemes");
        assertThat(ApiVersion.isCompatible(declared.apiVersion())).as("api version %s compatible with %s",
                declared.apiVersion(), ApiVersion.CURRENT).isTrue();

        UnplugProvider p = found.get(0).get();
        assertThat(p.id()).isEqualTo(declared.id());
        assertThat(p.schemes()).containsExactlyInAnyOrder(declared.schemes());
        assertThat(ApiVersion.isCompatible(p.apiVersion())).as("apiVersion() %s", p.apiVersion()).isTrue();
        assertThat(p.version()).as("version()").isNotBlank();
        assertThat(p.capabilities()).as("capabilities()").isNotNull();
        for (String scheme : declared.schemes()) {
            Connection c = tracker.track(p.open(TckSupport.withScheme(uri(TckSupport.unusedPort()), scheme),
                    options()));
            assertThat(c.state()).as("state of a new %s connection", scheme).isEqualTo(ConnectionState.NOT_INITIALISED);
            assertThat(c.pluginId()).isEqualTo(declared.id());
            assertThat(c.uri().getScheme()).isEqualTo(scheme);
            c.close();
        }
        assertThatUnplugThrownBy(rule(4, "open must reject a URI whose scheme the plugin does not serve with"
                + " INVALID_ARGUMENT"), () -> p.open(TckSupport.withScheme(uri(1), "unplug-tck-unknown"), options()))
                .hasKind(ErrorKind.INVALID_ARGUMENT);
    }

    /** Constructing the provider 1,000 times starts no thread and opens no socket. */
    @Test
    public void constructingTheProviderIsCheap() throws Exception {
        Constructor<? extends UnplugProvider> ctor = providerType().getConstructor();
        ctor.newInstance(); // class initialisation happens once, not per construction
        Set<Thread> threads = ProcessResources.liveThreads();
        long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        int sockets = ProcessResources.canCountFileDescriptors() ? ProcessResources.openSockets() : 0;
        for (int i = 0; i < 1_000; i++) {
            ctor.newInstance();
        }
        assertThat(ProcessResources.threadsNotIn(threads)).as("threads started by 1,000 constructions").isEmpty();
        assertThat(ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - started)
                .as("threads started (even briefly) during 1,000 constructions").isLessThan(10);
        if (ProcessResources.canCountFileDescriptors()) {
            assertThat(ProcessResources.openSockets()).as("open sockets after 1,000 constructions")
                    .isLessThanOrEqualTo(sockets);
        }
    }

    /** {@code open} checks its arguments and returns an unconnected connection without any I/O. */
    @Test
    public void openDoesNoIo(ConnectionTracker tracker) {
        try (TckPeer peer = startPeer(PeerBehaviour.NORMAL)) {
            URI u = peer.uri();
            Set<Thread> threads = ProcessResources.liveThreads();
            int sockets = ProcessResources.canCountFileDescriptors() ? ProcessResources.openSockets() : 0;
            List<Connection> opened = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                opened.add(tracker.track(provider().open(u, options())));
            }
            if (peer.observes()) {
                assertThat(peer.awaitAccepted(1, Duration.ofMillis(200))).as("the peer saw a connection").isFalse();
            }
            assertThat(ProcessResources.threadsNotIn(threads, PEER_THREADS)).as("threads started by open").isEmpty();
            if (ProcessResources.canCountFileDescriptors()) {
                assertThat(ProcessResources.openSockets()).as("sockets opened by open").isLessThanOrEqualTo(sockets);
            }
            assertThat(opened).allMatch(c -> c.state() == ConnectionState.NOT_INITIALISED, "not initialised");
            opened.forEach(Connection::close);
            if (peer.observes()) {
                assertThat(peer.accepted()).as("connections the peer accepted").isZero();
            }
        }
    }

    // ------------------------------------------------------------------ the seeds' errors

    /** Disconnect and drop before connect raise NOT_INITIALISED (IXP_E_NOT_INIT) and change nothing. */
    @Test
    public void disconnectAndDropBeforeConnectRaiseNotInitialised(ConnectionTracker tracker) {
        Connection c = tracker.track(provider().open(uri(TckSupport.unusedPort()), options()));
        assertThatUnplugThrownBy(rule(7, "disconnect before connect must raise NOT_INITIALISED"), c::disconnect)
                .hasKind(ErrorKind.NOT_INITIALISED);
        assertThatUnplugThrownBy(() -> c.disconnect(Duration.ofSeconds(1))).hasKind(ErrorKind.NOT_INITIALISED);
        assertThatUnplugThrownBy(() -> c.disconnect(Duration.ofSeconds(1), BusyPolicy.REFUSE))
                .hasKind(ErrorKind.NOT_INITIALISED);
        assertThatUnplugThrownBy(rule(7, "drop before connect must raise NOT_INITIALISED"), c::drop)
                .hasKind(ErrorKind.NOT_INITIALISED);
        assertThat(c.state()).as(rule(7, "a refused call changes nothing")).isEqualTo(ConnectionState.NOT_INITIALISED);
        assertThat(c.outcome()).isEmpty();
    }

    /** After the end: disconnect raises NOT_CONNECTED, connect INVALID_STATE, drop repeats the first outcome. */
    @Test
    public void afterTheEndDisconnectRaisesNotConnectedAndDropRepeatsTheOutcome(ConnectionTracker tracker) {
        try (TckPeer peer = startPeer(PeerBehaviour.NORMAL)) {
            Connection graceful = connected(tracker, peer.uri());
            DisconnectOutcome first = graceful.disconnect(GUARD);
            assertThat(first).isClean();
            assertThatUnplugThrownBy(graceful::disconnect).hasKind(ErrorKind.NOT_CONNECTED);
            assertThat(graceful.drop()).isSameAs(first);
            assertThat(graceful.drop()).isSameAs(first);
            assertThat(graceful.outcome()).containsSame(first);
            assertThatUnplugThrownBy(graceful::connect).hasKind(ErrorKind.INVALID_STATE);

            Connection dropped = connected(tracker, peer.uri());
            DisconnectOutcome drop = dropped.drop();
            assertThat(drop).isDropped();
            assertThat(dropped.drop()).isSameAs(drop);
            assertThatUnplugThrownBy(() -> dropped.disconnect(GUARD)).hasKind(ErrorKind.NOT_CONNECTED);
            assertThat(dropped.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    /** Connect on a connected connection raises ALREADY_CONNECTED and leaves it connected. */
    @Test
    public void connectTwiceRaisesAlreadyConnected(ConnectionTracker tracker) {
        try (TckPeer peer = startPeer(PeerBehaviour.NORMAL)) {
            Connection c = connected(tracker, peer.uri());
            ConnectionState before = c.state();
            assertThatUnplugThrownBy(rule(9, "connect on a connected connection must raise ALREADY_CONNECTED"),
                    c::connect).hasKind(ErrorKind.ALREADY_CONNECTED);
            assertThat(c.state()).isEqualTo(before);
            if (peer.observes()) {
                assertThat(peer.awaitAccepted(1, GUARD)).as("the peer accepted the connection").isTrue();
                assertThat(peer.accepted()).as("connections the peer accepted").isEqualTo(1);
            }
            assertThat(c.disconnect(GUARD)).isClean();
        }
    }

    /** Null arguments raise NULL_ARGUMENT and bad deadlines INVALID_ARGUMENT, never a raw exception. */
    @Test
    public void badArgumentsRaiseTypedErrors(ConnectionTracker tracker) {
        assertThatUnplugThrownBy(rule(10, "open(null, options) must raise NULL_ARGUMENT (use"
                + " UnplugException.requireNonNull)"), () -> provider().open(null, options()))
                .hasKind(ErrorKind.NULL_ARGUMENT);
        assertThatUnplugThrownBy(rule(10, "open(uri, null) must raise NULL_ARGUMENT"),
                () -> provider().open(uri(1), null)).hasKind(ErrorKind.NULL_ARGUMENT);
        try (TckPeer peer = startPeer(PeerBehaviour.NORMAL)) {
            Connection c = connected(tracker, peer.uri());
            ConnectionState open = c.state();
            assertThatUnplugThrownBy(() -> c.disconnect(null)).hasKind(ErrorKind.NULL_ARGUMENT);
            assertThatUnplugThrownBy(() -> c.disconnect(GUARD, null)).hasKind(ErrorKind.NULL_ARGUMENT);
            assertThatUnplugThrownBy(() -> c.disconnect(Duration.ZERO)).hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThatUnplugThrownBy(() -> c.disconnect(Duration.ofSeconds(-1))).hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThatUnplugThrownBy(() -> c.addListener(null)).hasKind(ErrorKind.NULL_ARGUMENT);
            assertThatUnplugThrownBy(() -> c.removeListener(null)).hasKind(ErrorKind.NULL_ARGUMENT);
            assertThatUnplugThrownBy(() -> c.unwrap(null)).hasKind(ErrorKind.NULL_ARGUMENT);
            assertThatUnplugThrownBy(() -> c.unwrap(Thread.class)).hasKind(ErrorKind.NOT_SUPPORTED);
            assertThat(c.state()).as("state after refused calls").isEqualTo(open);
            if (peer.observes()) {
                assertThat(peer.goodbyes()).as("goodbyes sent by refused calls").isZero();
            }
            assertThat(c.disconnect(GUARD)).isClean();
        }
    }

    // ------------------------------------------------------------------ endings

    /** A graceful disconnect against a normal server is CLEAN, carries its reply, and is announced once. */
    @Test
    public void gracefulDisconnectAgainstANormalPeerIsCleanWithTheServersReply(ConnectionTracker tracker) {
        try (TckPeer server = startNormalPeer()) {
            Connection c = connected(tracker, server.uri());
            EndingRecorder endings = EndingRecorder.on(c);
            DisconnectOutcome outcome = c.disconnect(Duration.ofSeconds(5));
            assertThat(outcome).isClean();
            assertThat(outcome.lastReply()).as("the server's answer to the goodbye").isPresent();
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(c.outcome()).containsSame(outcome);
            assertThat(endings.endings).as("disconnected events").containsExactly(outcome);
            if (server.observes()) {
                assertThat(server.awaitGoodbyes(1, GUARD)).as("the goodbye reached the peer").isTrue();
                assertThat(server.messageLog().stream().filter(server::isGoodbye))
                        .as("goodbyes received by the peer on the connection").hasSize(1);
                List<String> answer = server.goodbyeAnswer();
                if (!answer.isEmpty()) {
                    assertThat(answer).as("the peer's answer to the goodbye, in the outcome's last reply %s",
                            outcome.lastReply().get()).anyMatch(line -> outcome.lastReply().get().contains(line));
                }
            }
        }
    }

    /**
     * A disconnect begun without waiting ({@link AbstractConnection#beginDisconnect(Duration)}, what a host's
     * shutdown uses) against a normal server sends one goodbye and ends CLEAN once its answer is read.
     */
    @Test
    public void aDisconnectBegunWithoutWaitingEndsCleanOnceTheAnswerIsRead(ConnectionTracker tracker) {
        try (TckPeer server = startNormalPeer()) {
            Connection c = connected(tracker, server.uri());
            assertThat(c).as("connections made on the SPI's base class").isInstanceOf(AbstractConnection.class);
            EndingRecorder endings = EndingRecorder.on(c);
            PendingDisconnect pending = ((AbstractConnection) c).beginDisconnect(Duration.ofSeconds(5));
            assertThat(pending).as("a disconnect of an idle open connection starts at once").isNotNull();
            long until = System.nanoTime() + GUARD.toNanos();
            while (!pending.answerReady() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(pending.answerReady()).as("the answer arrived within %s", GUARD).isTrue();
            DisconnectOutcome outcome = pending.finish();
            assertThat(outcome).isClean();
            assertThat(pending.finish()).as("finish again").isSameAs(outcome);
            assertThat(c.outcome()).containsSame(outcome);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(endings.endings).as("disconnected events").containsExactly(outcome);
            if (server.observes()) {
                assertThat(server.awaitGoodbyes(2, Duration.ofMillis(200))).as("a second goodbye arrived").isFalse();
                assertThat(server.goodbyes()).as("goodbyes received by the peer").isEqualTo(1);
            }
        }
    }

    /**
     * A disconnect begun without waiting against a server that never answers the goodbye returns without
     * waiting for the deadline when the plugin {@linkplain #defersGoodbyeAnswer() defers the answer}; either way
     * the goodbye is sent once, and it ends ESCALATED at the deadline, or "goodbye sent" when dropped first.
     */
    @Test
    @Needs(rule = 13, value = Capability.GRACEFUL_GOODBYE, why = NO_REMOTE_GOODBYE)
    public void aDisconnectBegunWithoutWaitingHoldsTheDeadlineAgainstASilentServer(ConnectionTracker tracker) {
        for (boolean dropFirst : new boolean[] {false, true}) {
            try (TckPeer server = startPeer(PeerBehaviour.NEVER_ANSWERS_GOODBYE)) {
                Connection c = connected(tracker, server.uri());
                assertThat(c).isInstanceOf(AbstractConnection.class);
                Duration deadline = Duration.ofSeconds(1);
                long start = System.nanoTime();
                PendingDisconnect pending = ((AbstractConnection) c).beginDisconnect(deadline);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(pending).isNotNull();
                if (defersGoodbyeAnswer()) {
                    assertThat(took).as("beginDisconnect waited for a server that never answers")
                            .isLessThan(deadline.dividedBy(2));
                    assertThat(pending.outcome()).as("outcome before any answer").isEmpty();
                    assertThat(pending.answerReady()).as("answer ready from a silent server").isFalse();
                    assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTING);
                }
                if (server.observes()) {
                    assertThat(server.awaitGoodbyes(1, GUARD)).as("the goodbye reached the server").isTrue();
                }
                DisconnectOutcome outcome = dropFirst ? c.drop() : null;
                DisconnectOutcome finished = pending.finish();
                if (dropFirst) {
                    assertThat(finished).isSameAs(outcome);
                    if (defersGoodbyeAnswer()) {
                        assertThat(outcome).isEscalated();
                        assertThat(outcome.reason()).startsWith("goodbye sent");
                    }
                } else {
                    assertThat(finished).isEscalated().hasCauseOfKind(ErrorKind.TIMEOUT);
                }
                assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
                if (server.observes()) {
                    assertThat(server.goodbyes()).as("goodbyes received").isEqualTo(1);
                    assertThat(server.awaitClosed(GUARD)).as("the peer saw the connection end").isTrue();
                }
            }
        }
    }

    /** Drop returns at once, sends nothing (no goodbye) and closes the socket. */
    @Test
    public void dropIsImmediateAndSendsNoGoodbye(ConnectionTracker tracker) {
        try (TckPeer peer = startPeer(PeerBehaviour.NORMAL)) {
            Connection c = connected(tracker, peer.uri());
            int messagesBefore = peer.observes() ? settledMessages(peer) : 0;
            long start = System.nanoTime();
            DisconnectOutcome outcome = c.drop();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time drop took").isLessThan(GUARD);
            assertThat(outcome).isDropped().hasNoLastReply();
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            if (peer.observes()) {
                assertThat(peer.awaitClosed(GUARD)).as("the peer saw the connection end").isTrue();
                assertThat(peer.goodbyes()).as("goodbyes received").isZero();
                assertThat(peer.messageLog()).as("messages received, after the drop").hasSize(messagesBefore);
            }
        }
    }

    /** Eight concurrent disconnects send the goodbye exactly once and all get the same outcome object. */
    @Test
    @Needs(rule = 15, value = Capability.GRACEFUL_GOODBYE, why = NO_REMOTE_GOODBYE
            + "; a local goodbye ends before eight callers can all be inside disconnect")
    public void goodbyeIsSentExactlyOnceUnderConcurrentDisconnects(ConnectionTracker tracker) throws Exception {
        int callers = 8;
        // the goodbye is answered slowly, so that every caller is inside disconnect() before the end
        try (TckPeer peer = startPeer(PeerBehaviour.SLOW_GOODBYE)) {
            Connection c = connected(tracker, peer.uri());
            EndingRecorder endings = EndingRecorder.on(c);
            CountDownLatch go = new CountDownLatch(1);
            DisconnectOutcome[] outcomes = new DisconnectOutcome[callers];
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int n = i;
                workers.add(new Worker("tck-disconnect-" + i, () -> {
                    go.await();
                    outcomes[n] = c.disconnect(Duration.ofSeconds(10));
                }).start());
            }
            go.countDown();
            for (Worker w : workers) {
                assertThat(w.join(15_000)).as("%s finished", w.thread().getName()).isTrue();
                if (w.thrown() != null) {
                    fail(w.thread().getName() + " failed: " + w.thrown(), w.thrown());
                }
            }
            assertThat(outcomes[0]).isClean();
            assertThat(outcomes).as("outcomes of the %d callers", callers).allMatch(o -> o == outcomes[0],
                    "the same instance");
            if (peer.observes()) {
                assertThat(peer.awaitGoodbyes(2, Duration.ofMillis(200))).as("a second goodbye arrived").isFalse();
                assertThat(peer.goodbyes()).as("goodbyes received by the peer").isEqualTo(1);
            }
            assertThat(endings.endings).as("disconnected events").hasSize(1);
        }
    }

    /** The deadline holds against a server that never answers the goodbye: ESCALATED, promptly. */
    @Test
    @Needs(rule = 16, value = Capability.GRACEFUL_GOODBYE, why = NO_REMOTE_GOODBYE)
    public void deadlineHoldsAgainstAPeerThatNeverAnswersTheGoodbye(ConnectionTracker tracker) {
        try (TckPeer server = startPeer(PeerBehaviour.NEVER_ANSWERS_GOODBYE)) {
            Connection c = connected(tracker, server.uri());
            long start = System.nanoTime();
            DisconnectOutcome outcome = c.disconnect(Duration.ofMillis(300));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(outcome).isEscalated();
            assertThat(took).as("time a 300 ms disconnect took").isLessThan(GUARD);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            if (server.observes()) {
                assertThat(server.goodbyes()).as("goodbyes received").isEqualTo(1);
                assertThat(server.awaitClosed(GUARD)).as("the peer saw the connection end").isTrue();
            }
        }
    }

    /** A goodbye answered with a reset still ends the connection, ESCALATED, with the socket released. */
    @Test
    @Needs(rule = 17, value = Capability.GRACEFUL_GOODBYE, why = NO_REMOTE_GOODBYE)
    public void goodbyeAnsweredWithAResetEscalates(ConnectionTracker tracker) {
        try (TckPeer peer = startPeer(PeerBehaviour.RESETS_ON_GOODBYE)) {
            Connection c = connected(tracker, peer.uri());
            DisconnectOutcome outcome = c.disconnect(Duration.ofSeconds(5));
            assertThat(outcome).isEscalated().tookLessThan(Duration.ofSeconds(5));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            if (peer.observes()) {
                assertThat(peer.goodbyes()).as("goodbyes received").isEqualTo(1);
            }
        }
    }

    /** Drop while another thread is blocked reading returns promptly; the blocked call gets CONNECTION_DROPPED. */
    @Test
    @Needs(rule = 18, value = Capability.COMMANDS, why = NO_COMMANDS)
    public void dropWhileAnotherThreadIsBlockedInIoReturnsPromptly(ConnectionTracker tracker) throws Exception {
        try (TckPeer peer = startPeer(PeerBehaviour.NORMAL)) {
            Connection c = connected(tracker, peer.uri());
            Executable operation = requiredBlockingOperation(c, peer);
            int messagesBefore = settledMessages(peer);
            peer.mute();
            Worker blocked = new Worker("tck-blocked-reader", operation).start();
            assertThat(peer.awaitMessages(messagesBefore + 1, GUARD))
                    .as("the blocking operation sent its command").isTrue();
            assertThat(blocked.join(100)).as("the blocking operation is still blocked").isFalse();
            long start = System.nanoTime();
            DisconnectOutcome outcome = c.drop();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time drop took").isLessThan(GUARD);
            assertThat(outcome).isDropped();
            assertThat(blocked.join(GUARD.toMillis())).as("the blocked thread was released").isTrue();
            assertThat(blocked.returned()).as("the blocking operation returned normally").isFalse();
            assertThat(blocked.thrown()).as("what the blocked operation raised").isInstanceOf(UnplugException.class);
            assertThat((UnplugException) blocked.thrown()).hasKind(ErrorKind.CONNECTION_DROPPED);
        }
    }

    /**
     * Disconnects that start while a command is in flight wait for it, send one goodbye after it (never
     * interleaved), and all return the same outcome.
     */
    @Test
    @Needs(rule = 19, value = Capability.COMMANDS, why = NO_COMMANDS)
    public void disconnectsWaitingForACommandInFlightShareOneGoodbyeAndOneOutcome(ConnectionTracker tracker)
            throws Exception {
        try (TckPeer peer = startPeer(PeerBehaviour.NORMAL)) {
            Connection c = connected(tracker, peer.uri());
            Executable operation = requiredBlockingOperation(c, peer);
            int messagesBefore = settledMessages(peer);
            peer.delayReplies(Duration.ofMillis(400));
            Worker command = new Worker("tck-command", operation).start();
            assertThat(peer.awaitMessages(messagesBefore + 1, GUARD)).as("the command was sent").isTrue();
            assertThat(c.state()).as("state while the command is in flight").isEqualTo(ConnectionState.BUSY);
            int callers = 4;
            DisconnectOutcome[] outcomes = new DisconnectOutcome[callers];
            List<Worker> disconnects = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int n = i;
                disconnects.add(new Worker("tck-waiting-disconnect-" + i,
                        () -> outcomes[n] = c.disconnect(Duration.ofSeconds(10))).start());
            }
            assertThat(command.join(5_000)).as("the command finished").isTrue();
            assertThat(command.thrown()).as("what the command in flight raised").isNull();
            for (Worker w : disconnects) {
                assertThat(w.join(15_000)).as("%s finished", w.thread().getName()).isTrue();
                if (w.thrown() != null) {
                    fail(w.thread().getName() + " started while a command was in flight and failed: " + w.thrown(),
                            w.thrown());
                }
            }
            assertThat(outcomes[0]).isClean();
            assertThat(outcomes).as("outcomes of the waiting disconnects").allMatch(o -> o == outcomes[0],
                    "the same instance");
            // the command may span several lines (RESP arrays, literals): what matters is that the goodbye came
            // once, last, after the command's lines
            assertThat(peer.awaitGoodbyes(1, GUARD)).as("the goodbye reached the peer").isTrue();
            List<String> wire = peer.messageLog();
            List<String> after = wire.subList(messagesBefore, wire.size());
            assertThat(after).as("messages from the command on").hasSizeGreaterThanOrEqualTo(2);
            assertThat(after.subList(0, after.size() - 1)).as("messages before the goodbye (the command's)")
                    .noneMatch(peer::isGoodbye);
            assertThat(after).as("messages from the command on").last().matches(peer::isGoodbye, "the goodbye");
            assertThat(peer.goodbyes()).as("goodbyes received").isEqualTo(1);
        }
    }

    /** {@code close()} never throws, in any state, and ends a connected connection gracefully. */
    @Test
    public void closeNeverThrowsAndEndsGracefully(ConnectionTracker tracker) {
        try (TckPeer peer = startPeer(PeerBehaviour.NORMAL)) {
            Connection unused = tracker.track(provider().open(peer.uri(), options()));
            unused.close();
            assertThat(unused.state()).as("state of a connection closed before connect").isIn(
                    ConnectionState.NOT_INITIALISED, ConnectionState.DISCONNECTED);
            Connection c = connected(tracker, peer.uri());
            c.close();
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o).isClean());
            DisconnectOutcome first = c.outcome().get();
            c.close();
            assertThat(c.outcome()).as("outcome after a second close").containsSame(first);
            if (peer.observes()) {
                assertThat(peer.goodbyes()).as("goodbyes after two closes").isEqualTo(1);
                assertThat(peer.accepted()).as("connections made by closing an unconnected one").isEqualTo(1);
            }
        }
    }

    // ------------------------------------------------------------------ leaks and secrets

    /** A connect/disconnect cycle leaves no socket, file descriptor or thread behind. */
    @Test
    public void noSocketOrThreadLeaksAfterConnectDisconnectCycles(ConnectionTracker tracker) {
        try (TckPeer server = startNormalPeer()) {
            cycle(tracker, server); // warm-up: lazily created shared threads and classes are not leaks
            settlePeer(server);
            boolean fds = ProcessResources.canCountFileDescriptors();
            Map<Integer, String> fdsBefore = fds ? ProcessResources.fileDescriptors() : Map.of();
            Set<Thread> threadsBefore = ProcessResources.liveThreads();
            for (int i = 0; i < 5; i++) {
                cycle(tracker, server);
            }
            settlePeer(server);
            ProcessResources.awaitCondition(() -> ProcessResources.threadsNotIn(threadsBefore, PEER_THREADS).isEmpty()
                    && (!fds || ProcessResources.openFileDescriptors() <= fdsBefore.size()), Duration.ofSeconds(5));
            assertThat(ProcessResources.threadsNotIn(threadsBefore, PEER_THREADS)).as("threads left behind").isEmpty();
            if (fds) {
                Map<Integer, String> after = ProcessResources.fileDescriptors();
                Map<Integer, String> added = new HashMap<>(after);
                added.entrySet().removeIf(e -> e.getValue().equals(fdsBefore.get(e.getKey())));
                assertThat(after.size()).as("open file descriptors (new: %s)", added).isLessThanOrEqualTo(
                        fdsBefore.size());
            }
        }
    }

    /**
     * A password never appears in {@code toString()}, {@code uri()}, outcomes or error messages: against a target
     * that cannot be reached, and, for a plugin with a remote peer ({@link Capability#GRACEFUL_GOODBYE}), against a
     * silent one and one that resets on the goodbye.
     */
    @Test
    public void passwordsNeverAppearInToStringUriOrErrors(ConnectionTracker tracker) {
        String userInfo = "tckuser:" + SECRET;
        Options withPassword = options().with(Options.builder().set(Options.USER, "tckuser")
                .set(Options.PASSWORD, SECRET).set(Options.CONNECT_TIMEOUT, "500ms").build());
        Connection notListening = tracker.track(provider().open(TckSupport.withUserInfo(unreachableUri(),
                userInfo), withPassword));
        assertThat(notListening.toString()).doesNotContain(SECRET);
        assertThat(notListening.uri().toString()).doesNotContain(SECRET);
        assertThatUnplugThrownBy(rule(22, "a connect that cannot reach its target fails with a typed error"),
                notListening::connect).messageDoesNotContain(SECRET);
        assertThat(notListening.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(notListening.outcome()).hasValueSatisfying(o -> assertThat(o.toString()).doesNotContain(SECRET));
        if (!provider().capabilities().contains(Capability.GRACEFUL_GOODBYE)) {
            return; // no remote peer to stay silent or reset: what remains is above
        }
        try (TckPeer silent = startPeer(PeerBehaviour.SILENT)) {
            Connection c = tracker.track(provider().open(silent.uri(), withPassword));
            assertThat(c.toString()).doesNotContain(SECRET);
            long start = System.nanoTime();
            UnplugException e = org.assertj.core.api.Assertions.catchThrowableOfType(c::connect,
                    UnplugException.class);
            if (e != null) {
                assertThat(e).hasKind(ErrorKind.TIMEOUT).messageDoesNotContain(SECRET);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time a 500 ms connect timeout took")
                        .isLessThan(Duration.ofSeconds(5));
            } else {
                // a protocol without a greeting or a login has nothing to wait for: it connects to a silent server
                assertThat(c.toString()).doesNotContain(SECRET);
                c.drop();
            }
            assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o.toString()).doesNotContain(SECRET));
        }
        try (TckPeer peer = startPeer(PeerBehaviour.RESETS_ON_GOODBYE)) {
            Connection c = connected(tracker, TckSupport.withUserInfo(peer.uri(), userInfo));
            assertThat(c.toString()).doesNotContain(SECRET);
            DisconnectOutcome outcome = c.disconnect(GUARD);
            assertThat(outcome.toString()).doesNotContain(SECRET);
            outcome.cause().ifPresent(e -> assertThat(e).messageDoesNotContain(SECRET));
            if (peer.observes()) {
                assertThat(peer.messageLog()).as("messages the peer received").isNotEmpty();
            }
        }
    }

    // ------------------------------------------------------------------ helpers for subclasses and tests

    /** The provider under test, constructed once per test. */
    protected final UnplugProvider provider() {
        if (provider == null) {
            try {
                provider = providerType().getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot construct " + providerType().getName(), e);
            }
        }
        return provider;
    }

    /** Opens a tracked connection with {@link #options()} and connects it. */
    protected final Connection connected(ConnectionTracker tracker, URI target) {
        Connection c = tracker.track(provider().open(target, options()));
        c.connect();
        assertThat(c.state().isOpen()).as("state %s after connect", c.state()).isTrue();
        return c;
    }

    /**
     * The number of messages the peer has received on the first connection, once it has accepted it and the count
     * has stopped growing for a moment: a protocol without a greeting returns from {@code connect} as soon as the
     * handshake is done, possibly before the peer has registered the connection or read the login.
     */
    private static int settledMessages(TckPeer peer) {
        assertThat(peer.awaitAccepted(1, GUARD)).as("the peer accepted the connection").isTrue();
        int n = peer.messages();
        while (peer.awaitMessages(n + 1, Duration.ofMillis(50))) {
            n = peer.messages();
        }
        return n;
    }

    /**
     * A failure description naming the rule, its number in the list "Rules the TCK checks" of Unplug's
     * docs/writing-a-plugin.md, so that a failing check says what the contract requires and where it is explained.
     */
    protected static String rule(int number, String requirement) {
        return "TCK rule " + number + " (docs/writing-a-plugin.md, Rules the TCK checks): " + requirement;
    }

    /** The plugin's blocking operation, which a plugin declaring COMMANDS must give, with a peer that observes. */
    private Executable requiredBlockingOperation(Connection c, TckPeer peer) {
        Executable operation = blockingOperation(c);
        if (operation == null || !peer.observes()) {
            c.drop();
        }
        assertThat(operation).as(rule(18, "a plugin that declares the COMMANDS capability must give"
                + " blockingOperation(Connection)")).isNotNull();
        assertThat(peer.observes()).as(rule(18, "the commands rules need a peer that observes the wire (%s)"), peer)
                .isTrue();
        return operation;
    }

    private void cycle(ConnectionTracker tracker, TckPeer server) {
        Connection c = connected(tracker, server.uri());
        assertThat(c.disconnect(Duration.ofSeconds(5)).isGraceful()).as("graceful disconnect").isTrue();
    }

    private static void settlePeer(TckPeer server) {
        server.loopback().ifPresent(peer -> assertThat(peer.connections().stream()
                .allMatch(c -> c.awaitClosed(Duration.ofSeconds(5)))).as("the peer saw every connection close")
                .isTrue());
    }
}
