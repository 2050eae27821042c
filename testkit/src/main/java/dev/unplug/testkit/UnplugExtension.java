package dev.unplug.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that fails a test which leaves a connection open. It gives test methods, {@code @BeforeEach}
 * and {@code @BeforeAll} methods a {@link ConnectionTracker} parameter; after each test (or after all tests, for
 * a tracker received in {@code @BeforeAll}) it drops every tracked connection that is still open, so nothing
 * leaks into the next test, then fails with an {@link AssertionError} naming each one by plugin, redacted URI
 * and state.
 *
 * <p>Register it with {@code @ExtendWith(UnplugExtension.class)} or as a {@code @RegisterExtension} field. The
 * extension keeps no state of its own (trackers live in JUnit's extension store), so one instance may serve
 * any number of tests in parallel.
 *
 * @since 0.1
 */
public final class UnplugExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            UnplugExtension.class);

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
    public void afterEach(ExtensionContext context) {
        check(context, "test");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context, "test class");
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
