/**
 * The one shared base of Unplug's internet transport plugins (SMTP, POP3, IMAP, NNTP) on Apache Commons Net:
 * connect with finite timeouts, implicit TLS and STARTTLS with host name verification, login, the goodbye under
 * a deadline, and a drop that closes the raw socket beneath TLS. Plugins extend
 * {@link dev.unplug.transport.InternetTransportConnection} and {@link dev.unplug.transport.InternetTransportProvider}
 * and write only what their protocol does differently.
 */
module dev.unplug.transport {
    requires transitive dev.unplug.api;
    requires transitive org.apache.commons.net;

    exports dev.unplug.transport;
}
