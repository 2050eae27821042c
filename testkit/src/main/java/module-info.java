/**
 * The Unplug testkit, for plugin authors and test suites: the plugin TCK ({@code dev.unplug.testkit.tck}), a
 * JUnit 5 extension and AssertJ assertions ({@code dev.unplug.testkit}), hostile loopback peers
 * ({@code dev.unplug.testkit.peer}) and an embedded NNTP server ({@code dev.unplug.testkit.nntp}).
 */
module dev.unplug.testkit {
    requires transitive dev.unplug.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires java.management;

    exports dev.unplug.testkit;
    exports dev.unplug.testkit.peer;
    exports dev.unplug.testkit.tck;
    exports dev.unplug.testkit.nntp;

    // JUnit runs the TCK's test methods by reflection, also when the testkit is on the module path
    opens dev.unplug.testkit.tck to org.junit.platform.commons;

    uses dev.unplug.spi.UnplugProvider;
}
