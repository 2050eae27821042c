package dev.unplug.cli;

import dev.unplug.api.Connection;
import java.net.URI;

/**
 * One protocol's part of {@code unplug demo}: where its embedded server listens and the real work done through
 * the plugin on a connected session. The {@link DemoRunner} does the rest (connect, graceful disconnect, a
 * second connection and its drop), the same way for every protocol.
 */
interface ProtocolDemo {

    /** The protocol's name for the report, such as {@code SMTP}. */
    String protocol();

    /** The URI scheme its plugin serves. */
    String scheme();

    /** The embedded server, with the demo's credentials when it needs them. */
    URI uri();

    /**
     * Does real work on a connected session through the plugin's typed client.
     *
     * @return what was done, in a few words
     * @throws Exception when the work fails (the runner reports it as a failed step)
     */
    String work(Connection connection) throws Exception;

    /**
     * Checks, after the graceful disconnect, what the server shows of it (for example that POP3's QUIT
     * committed the deletions).
     *
     * @return what was checked, in a few words, or an empty string when there is nothing to check
     * @throws Exception when the check fails
     */
    default String afterGraceful() throws Exception {
        return "";
    }

    /**
     * Checks, after the drop, what the server shows of it (for example that no goodbye arrived).
     *
     * @return what was checked, in a few words, or an empty string when there is nothing to check
     * @throws Exception when the check fails
     */
    default String afterDrop() throws Exception {
        return "";
    }

    /** A protocol whose plugin is not in this build yet: reported as not available, never as done. */
    static ProtocolDemo missing(String protocol, String scheme) {
        return new ProtocolDemo() {
            @Override
            public String protocol() {
                return protocol;
            }

            @Override
            public String scheme() {
                return scheme;
            }

            @Override
            public URI uri() {
                return null;
            }

            @Override
            public String work(Connection connection) {
                throw new IllegalStateException(protocol + " is not available yet");
            }
        };
    }
}
