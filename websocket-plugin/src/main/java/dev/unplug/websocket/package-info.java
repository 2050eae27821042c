/**
 * The WebSocket plugin of Unplug: {@code ws://} and {@code wss://} on the JDK's WebSocket client, ended with the
 * close handshake under the contract's deadline. See {@link dev.unplug.websocket.WebSocketProvider}.
 *
 * <p><b>Stability: internal</b> (since 0.1; {@code @API(status = INTERNAL)}). Applications reach this plugin through
 * the api's types only (a scheme, {@code unwrap}, {@code host.extension}); its public classes are public for
 * {@link java.util.ServiceLoader} and may change in any release.
 */
package dev.unplug.websocket;
