package dev.unplug.spi;

import org.apiguardian.api.API;

/**
 * What a plugin's connections can do beyond connect, disconnect and drop.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Capability {
    /**
     * The disconnect sends a protocol goodbye to a remote peer and waits for its answer; that peer may answer late,
     * never, or with a reset. A device whose goodbye is local (closing a handle, a state change in the kernel) does
     * not declare it, and the TCK's rules about unanswered, reset and slow goodbyes do not apply to it.
     */
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
    TRANSPORT_SESSION,
    /**
     * Operations that send a command and block for its reply (a session extension reached by {@code unwrap}),
     * holding the connection {@code BUSY}: a drop releases a blocked one, and a disconnect waits for one in flight.
     * The TCK's rules about commands apply only to a plugin that declares it.
     */
    COMMANDS
}
