/**
 * The Commons Net adapter of the SMTP, POP3, IMAP and NNTP plugins over the one socket base,
 * {@link dev.unplug.spi.SocketConnection}.
 *
 * <p>Unplug's own mail and news plugins extend {@link dev.unplug.transport.InternetTransportConnection} (a
 * {@code SocketConnection} whose protocol Commons Net speaks over the base's socket: connect, TLS, timeouts, reply
 * budget, goodbye gate and drop are the base's, as for every socket plugin) and
 * {@link dev.unplug.transport.InternetTransportProvider} (URI checks, capabilities, default ports); each plugin jar
 * carries its own relocated copy. Third-party plugins stand on {@link dev.unplug.spi.SocketConnection} directly. Applications reach the Commons Net client through
 * {@link dev.unplug.transport.ClientAccess}; TLS options are documented on {@link dev.unplug.spi.TlsSettings}.
 *
 * <p><b>Stability:</b> {@link dev.unplug.transport.ClientAccess}, {@link dev.unplug.transport.ClientWork} and
 * {@link dev.unplug.transport.ServerReply} are stable (since 0.1): changed only compatibly within a major version.
 * The connection and provider bases are internal ({@code @API(status = INTERNAL)}): they may
 * change in any release.
 */
package dev.unplug.transport;
