package dev.unplug.spi;

/**
 * What a plugin's connections can do beyond connect, disconnect and drop.
 *
 * @since 0.1
 */
public enum Capability {
    /** The disconnect sends a protocol goodbye and waits for its answer. */
    GRACEFUL_GOODBYE,
    /** Implicit TLS (a scheme such as {@code smtps}). */
    TLS,
    /** Upgrade to TLS in the session with STARTTLS (or STLS). */
    STARTTLS,
    /** Logs in with a user name and password. */
    AUTHENTICATION,
    /** Drop can reset the connection (SO_LINGER 0). */
    RESET_ON_DROP,
    /** Capture control ({@link dev.unplug.api.capture.CaptureControl}). */
    CAPTURE,
    /** Multicast transport sessions ({@link dev.unplug.api.session.TransportSessionClient}). */
    TRANSPORT_SESSION
}
