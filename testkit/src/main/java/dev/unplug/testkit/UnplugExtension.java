package dev.unplug.testkit;

import dev.unplug.api.Connection;
import dev.unplug.spi.internal.HostWatch;
import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that fails a test which leaves a connection open. It sees every connection a plugin host
 * ({@code PluginHost.open} or {@code adopt}) makes while a test runs, and every connection passed to
 * {@link ConnectionTracker#track} (for connections made straight from a provider); after each test (or after all
 * tests, for what {@code @BeforeAll} made) it drops every one that is still open, so nothing leaks into the next
 * test, then fails with an {@link AssertionError} naming each by plugin, redacted URI and state:
 * {@code 1 connection(s) left open by test sendsAndQuits() (dropped by UnplugExtension): smtp connection ...}.
 *
 * <p>Which test a host's connection belongs to: the test whose thread (or a thread that thread started) opened it;
 * when a thread of no test opens it (a shared pool), the one test running, if exactly one is. In a parallel run, a
 * connection opened on a shared pool belongs to no test unless tracked explicitly. {@link TrackedOnly} on a class or
 * method turns the watching of hosts off there.
 *
 * <p>Register it with {@code @ExtendWith(UnplugExtension.class)} or as a {@code @RegisterExtension} field; test
 * methods, {@code @BeforeEach} and {@code @BeforeAll} methods may take a {@link ConnectionTracker} parameter. The
 * extension keeps its per-test state in JUnit's extension store, so one instance may serve any number of tests in
 * parallel.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class UnplugExtension implements ParameterResolver, BeforeAllCallback, BeforeEachCallback,
        AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            UnplugExtension.class);

    /** The innermost tracker of the test a thread runs (inherited by the threads it starts). */
    private static final InheritableThreadLocal<ConnectionTracker> CURRENT = new InheritableThreadLocal<>();
    /** The innermost tracker of every test running now. */
    private static final Set<ConnectionTracker> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        HostWatch.watch(UnplugExtension::openedByAHost);
    }

    /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
    public UnplugExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ConnectionTracker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return tracker(extensionContext, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        enter(context, null);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        enter(context, context.getParent().map(p -> tracker(p, false)).orElse(null));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            check(context, "test");
        } finally {
            leave(context, context.getParent().map(p -> tracker(p, false)).orElse(null));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            check(context, "test class");
        } finally {
            leave(context, null);
        }
    }

    private static void enter(ExtensionContext context, ConnectionTracker outer) {
        ConnectionTracker tracker = tracker(context, true);
        tracker.watchHosts(!optedOut(context));
        if (outer != null) {
            RUNNING.remove(outer);
        }
        RUNNING.add(tracker);
        CURRENT.set(tracker);
    }

    private static void leave(ExtensionContext context, ConnectionTracker outer) {
        ConnectionTracker tracker = tracker(context, false);
        if (tracker != null) {
            RUNNING.remove(tracker);
        }
        if (outer != null) {
            RUNNING.add(outer);
            CURRENT.set(outer);
        } else {
            CURRENT.remove();
        }
    }

    private static boolean optedOut(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            if (element.isPresent() && element.get().isAnnotationPresent(TrackedOnly.class)) {
                return true;
            }
        }
        return false;
    }

    /** The {@link HostWatch} hook: gives a connection a host opened to the test it belongs to. */
    private static void openedByAHost(Connection connection) {
        ConnectionTracker tracker = CURRENT.get();
        if (tracker == null || !RUNNING.contains(tracker)) {
            tracker = RUNNING.size() == 1 ? RUNNING.iterator().next() : null;
        }
        if (tracker != null && tracker.watchesHosts()) {
            tracker.track(connection);
        }
    }

    private static void check(ExtensionContext context, String scope) {
        ConnectionTracker tracker = tracker(context, false);
        if (tracker == null) {
            return;
        }
        List<String> leaks = tracker.dropLeftovers();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " connection(s) left open by " + scope + " "
                    + context.getDisplayName() + " (dropped by UnplugExtension): " + String.join("; ", leaks));
        }
    }

    private static ConnectionTracker tracker(ExtensionContext context, boolean create) {
        // keyed by unique id: a method's tracker never shadows or reuses the class's
        String key = "tracker:" + context.getUniqueId();
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (!create) {
            return store.get(key, ConnectionTracker.class);
        }
        return store.getOrComputeIfAbsent(key, k -> new ConnectionTracker(), ConnectionTracker.class);
    }
}
