/**
 * The shared base of the SMTP, POP3, IMAP and NNTP plugins on Apache Commons Net.
 *
 * <p>Unplug's own mail and news plugins extend {@link dev.unplug.transport.InternetTransportConnection} (connect,
 * TLS, login, goodbye, drop, busy tracking: all here once) and {@link dev.unplug.transport.InternetTransportProvider}
 * (URI checks, capabilities, default ports); each plugin jar carries its own relocated copy. Third-party plugins
 * stand on {@link dev.unplug.spi.SocketConnection} instead. Applications reach the Commons Net client through
 * {@link dev.unplug.transport.ClientAccess}; TLS options are documented on {@link dev.unplug.spi.TlsSettings}.
 *
 * <p><b>Stability:</b> {@link dev.unplug.transport.ClientAccess}, {@link dev.unplug.transport.ClientWork} and
 * {@link dev.unplug.transport.ServerReply} are stable (since 0.1): changed only compatibly within a major version.
 * The connection and provider bases and {@code RawSockets} are internal ({@code @API(status = INTERNAL)}): they may
 * change in any release.
 */
package dev.unplug.transport;
