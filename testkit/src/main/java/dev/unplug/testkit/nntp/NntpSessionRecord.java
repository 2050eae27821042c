package dev.unplug.testkit.nntp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * What an {@link EmbeddedNntpServer} saw of one client connection: every command line received (the argument
 * of {@code AUTHINFO PASS} masked), and how the session ended. This is the server-side evidence that a graceful
 * disconnect sent {@code QUIT} and that a drop did not.
 *
 * <p>Thread-safe: the server's worker writes it while tests read it.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NntpSessionRecord {

    /** How a session ended. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Ending {
        /** The client sent {@code QUIT} and got {@code 205}. */
        QUIT,
        /** The client closed the connection without sending {@code QUIT}. */
        CLOSED_WITHOUT_QUIT,
        /** Reading failed (for example a reset from the client) before any {@code QUIT}. */
        RESET,
        /** The client sent nothing for the server's idle timeout. */
        IDLE_TIMEOUT,
        /** The server was closed while the session was open, or turned the client away. */
        SERVER_CLOSED;

        /** Whether the client ended the session without saying goodbye. */
        public boolean withoutGoodbye() {
            return this != QUIT;
        }
    }

    private final int id;
    private final String client;
    private final List<String> commands = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Ending ending;

    NntpSessionRecord(int id, String client) {
        this.id = id;
        this.client = client;
    }

    /** The session's number, from 1 in the order the server accepted connections. */
    public int id() {
        return id;
    }

    /** The client's address and port as the server saw them. */
    public String client() {
        return client;
    }

    /** Every command line received so far, in order, without CRLF; article text after POST is not included. */
    public List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    /** Whether a command with this verb (case-insensitive, such as {@code "QUIT"}) was received. */
    public boolean received(String verb) {
        return commands().stream().anyMatch(c -> c.regionMatches(true, 0, verb, 0, verb.length())
                && (c.length() == verb.length() || c.charAt(verb.length()) == ' '));
    }

    /** How the session ended; empty while it is open. */
    public Optional<Ending> ending() {
        return Optional.ofNullable(ending);
    }

    /** Whether the session has ended. */
    public boolean isEnded() {
        return ending != null;
    }

    /** Whether the session ended with {@code QUIT}. */
    public boolean endedWithQuit() {
        return ending == Ending.QUIT;
    }

    /**
     * Waits until the session ends.
     *
     * @param timeout how long to wait at most
     * @return how it ended, or empty when it was still open after {@code timeout}
     * @throws InterruptedException when interrupted while waiting
     */
    public Optional<Ending> awaitEnd(Duration timeout) throws InterruptedException {
        ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return ending();
    }

    void record(String line) {
        String shown = line.regionMatches(true, 0, "AUTHINFO PASS", 0, 13) ? "AUTHINFO PASS ***" : line;
        synchronized (commands) {
            commands.add(shown);
        }
    }

    synchronized void end(Ending how) {
        if (ending == null) {
            ending = how;
            ended.countDown();
        }
    }

    /** The session number, the client, the number of commands and how it ended; never a password. */
    @Override
    public String toString() {
        return "NntpSession#" + id + "[" + client + ", " + commands().size() + " commands, "
                + (ending == null ? "open" : ending) + "]";
    }
}
