/**
 * The wds plugin of Unplug: a multicast transport server ({@link dev.unplug.wds.WdsServer}) and its clients
 * ({@code wds://HOST:PORT/NAMESPACE/CONTENT}), whose clients the server disconnects with fallback or abort.
 */
module dev.unplug.wds {
    requires transitive dev.unplug.api;
    requires static com.google.auto.service;

    exports dev.unplug.wds;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.wds.WdsProvider;
}
