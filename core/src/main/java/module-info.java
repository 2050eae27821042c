/**
 * The Unplug plugin host: finds plugins with {@link java.util.ServiceLoader} on the class path and in plugin
 * folders, routes URIs to them by scheme, tracks the connections it opens and shuts them all down under one
 * deadline. Start at {@link dev.unplug.core.PluginHost}.
 */
module dev.unplug.core {
    requires transitive dev.unplug.api;
    // JFR events (dev.unplug.PluginLoad, dev.unplug.Shutdown): in the JDK, free when no recording runs
    requires jdk.jfr;

    exports dev.unplug.core;

    uses dev.unplug.spi.UnplugProvider;
}
