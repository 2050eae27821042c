/**
 * The IMAP plugin of Unplug: {@code imap} and {@code imaps} connections on Apache Commons Net, with
 * {@link dev.unplug.api.mail.ImapSession} to select, fetch, search, flag and expunge, and a graceful disconnect that
 * sends {@code LOGOUT} (expects the untagged {@code * BYE} and the tagged {@code OK}).
 */
module dev.unplug.imap {
    requires transitive dev.unplug.transport;
    requires static com.google.auto.service;

    exports dev.unplug.imap;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.imap.ImapProvider;
}
