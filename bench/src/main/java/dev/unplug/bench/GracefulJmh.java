package dev.unplug.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.core.PluginHost;
import dev.unplug.testkit.nntp.EmbeddedNntpServer;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import jakarta.mail.MessagingException;
import jakarta.mail.Service;
import jakarta.mail.Session;
import java.io.IOException;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.SocketClient;
import org.apache.commons.net.imap.IMAPClient;
import org.apache.commons.net.nntp.NNTPClient;
import org.apache.commons.net.pop3.POP3Client;
import org.apache.commons.net.smtp.SMTPClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmarks of the graceful figure: the time of a graceful disconnect (goodbye sent, answer read, socket
 * closed) of an open, logged-in connection; opening it is done per invocation and not timed. Run by
 * {@link GracefulFigure}; public because JMH's generated code calls it.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GracefulJmh {

    static final String USER = "bench";
    static final String PASSWORD = "bench-secret";
    static final String HOST = "127.0.0.1";

    /**
     * Lets the connection sit idle for 1 ms before the timed disconnect, as a connection being closed usually has:
     * the server's thread is then waiting in its read, not still finishing the login. Without it, whichever client
     * sends its goodbye within a few microseconds of the login reply catches the server's thread still awake and
     * measures that, not its own cost (measured: Commons Net's logout() about 9 µs faster back to back than after a
     * pause, the same call through Unplug's few microseconds of bookkeeping not).
     */
    static void idle() {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }

    /** GreenMail's SMTP, POP3 and IMAP servers and the testkit's NNTP server, in this JVM, for one trial. */
    @State(Scope.Benchmark)
    public static class Servers {

        /** The protocol of this trial: smtp, pop3, imap or nntp. */
        @Param({"smtp", "pop3", "imap", "nntp"})
        public String protocol;

        GreenMail mail;
        EmbeddedNntpServer news;
        PluginHost host;
        int port;

        /** Starts the servers and the host. */
        @Setup(Level.Trial)
        public void start() {
                mail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort(),
                new ServerSetup(0, HOST, ServerSetup.PROTOCOL_POP3).dynamicPort(),
                new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP).dynamicPort()});
            mail.start();
            mail.setUser(USER + "@localhost", USER, PASSWORD);
            news = EmbeddedNntpServer.builder().group("local.bench").credentials(USER, PASSWORD).start();
            port = switch (protocol) {
                case "smtp" -> mail.getSmtp().getPort();
                case "pop3" -> mail.getPop3().getPort();
                case "imap" -> mail.getImap().getPort();
                case "nntp" -> news.port();
                default -> throw new IllegalArgumentException("no server for " + protocol);
            };
            host = PluginHost.builder().build();
            if ("smtp".equals(protocol)) {
                warmUpSmtp();
            }
        }

        /**
         * GreenMail's SMTP server answers each new connection only after about 40 ms here (both clients wait the
         * same in their untimed setup), so a fork makes about 25 SMTP connections a second: too few for the JIT to
         * compile either client's path within the warm-up, and the figure would compare interpreted code. Both
         * clients' paths are therefore run 2,000 times first against the testkit's scripted SMTP peer.
         */
        private void warmUpSmtp() {
            try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.smtp().build()).start()) {
                URI uri = URI.create("smtp://" + HOST + ":" + peer.port());
                for (int i = 0; i < 2_000; i++) {
                    Connection c = host.open(uri);
                    c.connect();
                    c.disconnect();
                    SMTPClient cn = new SMTPClient();
                    cn.setDefaultTimeout(5_000);
                    cn.connect(HOST, peer.port());
                    cn.login("localhost");
                    cn.logout();
                    cn.disconnect();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Stops them. */
        @TearDown(Level.Trial)
        public void stop() {
            host.close();
            news.close();
            mail.stop();
        }

        URI uri() {
            // SMTP without AUTH, as the other two clients connect to it
            return URI.create(protocol + "://" + ("smtp".equals(protocol) ? "" : USER + ":" + PASSWORD + "@")
                    + HOST + ":" + port);
        }
    }

    /** An open Unplug connection, made before each invocation. */
    @State(Scope.Thread)
    public static class UnplugOpen {
        Connection connection;
        DisconnectOutcome outcome;

        /** Opens and connects (untimed). */
        @Setup(Level.Invocation)
        public void open(Servers s) {
            connection = s.host.open(s.uri());
            connection.connect();
            idle();
        }

        /** A graceful disconnect that did not end CLEAN would make the figure meaningless. */
        @TearDown(Level.Invocation)
        public void check() {
            if (outcome == null || outcome.kind() != DisconnectOutcome.Kind.CLEAN) {
                throw new IllegalStateException("graceful disconnect ended " + outcome);
            }
        }
    }

    /** An open, logged-in Commons Net client, made before each invocation. */
    @State(Scope.Thread)
    public static class CommonsNetOpen {
        SocketClient client;

        /** Connects and logs in (untimed). */
        @Setup(Level.Invocation)
        public void open(Servers s) throws IOException {
            switch (s.protocol) {
                case "smtp" -> {
                    SMTPClient c = new SMTPClient();
                    client = c;
                    connect(c, s.port);
                    require(c.login("localhost"), "HELO");
                }
                case "pop3" -> {
                    POP3Client c = new POP3Client();
                    client = c;
                    connect(c, s.port);
                    require(c.login(USER, PASSWORD), "USER/PASS");
                }
                case "imap" -> {
                    IMAPClient c = new IMAPClient();
                    client = c;
                    connect(c, s.port);
                    require(c.login(USER, PASSWORD), "LOGIN");
                }
                case "nntp" -> {
                    NNTPClient c = new NNTPClient();
                    client = c;
                    connect(c, s.port);
                    require(c.authenticate(USER, PASSWORD), "AUTHINFO");
                }
                default -> throw new IllegalArgumentException(s.protocol);
            }
            idle();
        }

        private static void connect(SocketClient c, int port) throws IOException {
            c.setConnectTimeout(5_000);
            c.setDefaultTimeout(5_000);
            c.connect(HOST, port);
        }

        private static void require(boolean ok, String what) {
            if (!ok) {
                throw new IllegalStateException(what + " refused");
            }
        }
    }

    /** An open Angus Mail transport or store, made before each invocation. */
    @State(Scope.Thread)
    public static class AngusOpen {
        Service service;

        /** Connects (and logs in, for the stores; untimed). */
        @Setup(Level.Invocation)
        public void open(Servers s) throws MessagingException {
            Properties p = new Properties();
            for (String k : new String[] {"connectiontimeout", "timeout", "writetimeout"}) {
                p.setProperty("mail." + s.protocol + "." + k, "5000");
            }
            Session session = Session.getInstance(p);
            switch (s.protocol) {
                case "smtp" -> {
                    service = session.getTransport("smtp");
                    service.connect(HOST, s.port, null, null);
                }
                case "pop3", "imap" -> {
                    service = session.getStore(s.protocol);
                    service.connect(HOST, s.port, USER, PASSWORD);
                }
                default -> throw new IllegalArgumentException("Angus Mail has no " + s.protocol + " client");
            }
            idle();
        }
    }

    /** Unplug: {@code disconnect()} with its default deadline. */
    @Benchmark
    public DisconnectOutcome unplug(UnplugOpen o) {
        o.outcome = o.connection.disconnect();
        return o.outcome;
    }

    /** Commons Net alone: the protocol's {@code logout()} (QUIT or LOGOUT, answer read), then {@code disconnect()}. */
    @Benchmark
    public boolean commonsNet(CommonsNetOpen o) throws IOException {
        boolean answered;
        if (o.client instanceof SMTPClient c) {
            answered = c.logout();
        } else if (o.client instanceof POP3Client c) {
            answered = c.logout();
        } else if (o.client instanceof IMAPClient c) {
            answered = c.logout();
        } else {
            answered = ((NNTPClient) o.client).logout();
        }
        o.client.disconnect();
        return answered;
    }

    /** Angus Mail: {@code Transport.close()} / {@code Store.close()}. */
    @Benchmark
    public Service angusMail(AngusOpen o) throws MessagingException {
        o.service.close();
        return o.service;
    }
}
