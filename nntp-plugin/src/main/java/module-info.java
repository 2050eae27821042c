/**
 * The NNTP plugin of Unplug: {@code nntp} and {@code nntps} connections on Apache Commons Net, with
 * {@link dev.unplug.api.mail.NntpSession} to select groups, post and read articles, and a graceful disconnect that
 * sends {@code QUIT} (expects 205).
 */
module dev.unplug.nntp {
    requires transitive dev.unplug.transport;
    requires static com.google.auto.service;

    exports dev.unplug.nntp;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.nntp.NntpProvider;
}
