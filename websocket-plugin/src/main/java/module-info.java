/** The WebSocket plugin of Unplug: {@code ws://} and {@code wss://} on the JDK's WebSocket client. */
module dev.unplug.websocket {
    requires transitive dev.unplug.api;
    requires java.net.http;
    requires static com.google.auto.service;

    exports dev.unplug.websocket;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.websocket.WebSocketProvider;
}
