/**
 * The Unplug API: one disconnect contract for every kind of connection.
 *
 * <p>{@code dev.unplug.api} holds what applications use ({@link dev.unplug.api.Connection}, outcomes,
 * errors); {@code dev.unplug.api.capture}, {@code dev.unplug.api.session}, {@code dev.unplug.api.link},
 * {@code dev.unplug.api.mail} and {@code dev.unplug.api.message} the extensions an application reaches with {@code unwrap};
 * {@code dev.unplug.spi} what plugin authors implement. Runs on the JDK alone (apiguardian's {@code @API}
 * annotations are needed to compile only).
 */
module dev.unplug.api {
    // @API status annotations on every public type: needed to compile, not to run
    requires static transitive org.apiguardian.api;
    // JFR events (dev.unplug.Disconnect, dev.unplug.Drop): in the JDK, free when no recording runs
    requires jdk.jfr;
    // java.net.http.WebSocket in dev.unplug.api.message.WebSocketListeners (adopting an application's WebSocket)
    requires transitive java.net.http;
    exports dev.unplug.api;
    exports dev.unplug.api.capture;
    exports dev.unplug.api.session;
    exports dev.unplug.api.link;
    exports dev.unplug.api.mail;
    exports dev.unplug.api.message;
    exports dev.unplug.spi;
    // internals for Unplug's own modules only: the hook
    // through which the testkit's JUnit extension hears of every connection a host opens
    exports dev.unplug.spi.internal to dev.unplug.core, dev.unplug.testkit;

    uses dev.unplug.spi.UnplugProvider;
}
