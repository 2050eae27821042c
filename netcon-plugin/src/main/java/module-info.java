/**
 * The netcon plugin of Unplug: Linux network links as connections ({@code netcon://LINK?netns=NS}), with the
 * network-connection status set ({@link dev.unplug.api.link.LinkStatus}) from the kernel's link notifications.
 */
module dev.unplug.netcon {
    requires transitive dev.unplug.api;
    requires static com.google.auto.service;

    exports dev.unplug.netcon;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.netcon.NetconProvider;
}
