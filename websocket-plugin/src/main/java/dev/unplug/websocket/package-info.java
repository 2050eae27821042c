/**
 * The WebSocket plugin of Unplug: {@code ws://} and {@code wss://} on the JDK's WebSocket client, ended with the
 * close handshake under the contract's deadline. See {@link dev.unplug.websocket.WebSocketProvider}.
 */
package dev.unplug.websocket;
