/**
 * The shared base of the SMTP, POP3, IMAP and NNTP plugins on Apache Commons Net.
 *
 * <p>Plugin authors extend {@link dev.unplug.transport.InternetTransportConnection} (connect, TLS, login,
 * goodbye, drop, busy tracking: all here once) and {@link dev.unplug.transport.InternetTransportProvider} (URI
 * checks, capabilities, default ports). Applications reach the Commons Net client through
 * {@link dev.unplug.transport.ClientAccess}; TLS options are documented on {@link dev.unplug.spi.TlsSettings}.
 *
 * <p><b>Stability: stable</b> (since 0.1). Public types here change only compatibly within a major version: nothing is removed or changes meaning; new methods on interfaces come with defaults. The major version is {@link dev.unplug.spi.ApiVersion#CURRENT}'s.
 */
package dev.unplug.transport;
