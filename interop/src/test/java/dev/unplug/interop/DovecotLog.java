package dev.unplug.interop;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Reads how Dovecot saw one session. Its login line names the client's port and the session id
 * ({@code pop3-login: Info: Login: user=<alice>, ... rport=41234, ... session=<X>}, the format scripts/servers.sh
 * configures); the session's last line is {@code pop3(alice)<pid><X>: Info: Disconnected: Logged out ...} after
 * QUIT / LOGOUT, {@code ... Disconnected: Connection closed ...} when the client went away without it.
 */
final class DovecotLog {

    static final Duration WAIT = Duration.ofSeconds(10);

    private DovecotLog() {
    }

    /**
     * Waits for the end of the session whose client used this local port and returns its text after
     * {@code Info: }, such as {@code "Disconnected: Logged out top=0/0, retr=0/0, del=1/1, size=366"}.
     *
     * @param protocol {@code imap} or {@code pop3}
     */
    static String sessionEnd(ServerLog log, String protocol, int clientPort) {
        String session = log.await(protocol + " login from client port " + clientPort,
                protocol + "-login: Info: Login: user=<alice>,.* rport=" + clientPort + ",.* session=<([^>]+)>",
                WAIT).group(1);
        return log.await("the end of " + protocol + " session " + session,
                protocol + "\\(alice\\)<\\d+><" + Pattern.quote(session) + ">: Info: (Disconnected: .*)$",
                WAIT).group(1);
    }
}
