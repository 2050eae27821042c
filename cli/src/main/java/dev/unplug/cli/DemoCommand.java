package dev.unplug.cli;

import dev.unplug.core.PluginHost;
import dev.unplug.testkit.nntp.EmbeddedNntpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code unplug demo}: embedded servers in this JVM on loopback (GreenMail for SMTP, POP3 and IMAP; the testkit's
 * NNTP server), real work through each plugin, a graceful disconnect and a drop per protocol, and a graceful
 * disconnect against a peer that never answers the goodbye; the SMTP part is captured on {@code lo} by the capture
 * plugin (skipped, in one line, without root or CAP_NET_RAW); a file multicast on {@code lo} to four wds clients, one
 * fallen back to unicast and one aborted ({@link WdsDemo}); a veth link in a namespace of its own connected,
 * its peer pulled down, disconnected ({@link NetconDemo}; skipped in one line without root); a query on a throwaway
 * PostgreSQL, a graceful end and a drop under pg_sleep ({@link PostgresDemo}; skipped in one line without
 * PostgreSQL 15); an MQTT session ended
 * gracefully and one dropped on a mosquitto child process, the Will seen only after the drop ({@link MqttDemo};
 * skipped in one line when mosquitto is not installed); a WebSocket echoed, ended with the close handshake and one
 * dropped, on a websocketd child process ({@link WebSocketDemo}; skipped likewise). Prints a table; exit 0 only when every step ran and behaved
 * as expected.
 */
final class DemoCommand {

    static final Args.Spec SPEC = new Args.Spec("demo", Set.of(), Set.of(), Set.of(), 0, 0, "");

    private DemoCommand() {
    }

    static int run(List<String> arguments, Console console) {
        Args.parse(SPEC, arguments);
        List<DemoRow> rows = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        try (PluginHost host = Hosts.open("demo", Optional.empty());
                MailServers mail = MailServers.start();
                EmbeddedNntpServer news = NntpDemo.startServer()) {
            servers.add(mail.describe());
            servers.add("EmbeddedNntpServer: NNTP " + EmbeddedNntpServer.HOST + ":" + news.port() + " (group "
                    + NntpDemo.GROUP + ", user " + MailServers.USER + ")");
            CaptureDemo capture = CaptureDemo.start(host, mail.uri("smtp").getPort());
            rows.add(DemoRunner.run(host, new SmtpDemo(mail)));
            rows.add(capture.finish());
            for (ProtocolDemo demo : List.of(
                    new ImapDemo(mail),
                    new Pop3Demo(mail),
                    new NntpDemo(news))) {
                rows.add(DemoRunner.run(host, demo));
            }
            rows.add(HostileDemo.run(host));
            rows.add(WdsDemo.run(host));
            rows.add(NetconDemo.run(host));
            rows.add(PostgresDemo.run(host));
            rows.add(MqttDemo.run(host));
            rows.add(WebSocketDemo.run(host));
        }
        console.out(DemoReport.render(servers, rows));
        return rows.stream().allMatch(DemoRow::asExpected) ? 0 : 1;
    }
}
