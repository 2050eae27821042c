package dev.unplug.interop;

import dev.unplug.core.PluginHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the interop tests: one plugin host from the class path per test class, closed after it. */
abstract class InteropTest {

    static PluginHost host;

    @BeforeAll
    static void openHost() {
        host = PluginHost.fromClassPath();
    }

    @AfterAll
    static void closeHost() {
        host.close();
    }
}
