/**
 * The capture plugin of Unplug: a libpcap capture device as a connection ({@code capture://lo?...}, or an
 * offline pcap file), controlled through {@link dev.unplug.api.capture.CaptureControl}.
 */
module dev.unplug.capture {
    requires transitive dev.unplug.api;
    requires com.sun.jna;
    requires static com.google.auto.service;

    exports dev.unplug.capture;
    // JNA's direct mapping registers native methods on the binding class by reflection
    opens dev.unplug.capture to com.sun.jna;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.capture.CaptureProvider;
}
