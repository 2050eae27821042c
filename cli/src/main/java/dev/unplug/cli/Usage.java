package dev.unplug.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The help texts and the version. Stateless. */
final class Usage {

    static final String PLUGINS = "unplug plugins [--json] [--plugins-dir DIR]";
    static final String PROBE = "unplug probe URI [--deadline 2s] [--mode graceful|drop] [--json]"
            + " [--plugins-dir DIR] [--option NAME=VALUE ...] [--for 2s (capture devices)]";
    static final String DEMO = "unplug demo";
    static final String WDS = "unplug wds serve FILE... [--port N] [--namespace NAME] [--rate 64m] [--block-size 1400]"
            + " [--for DURATION] | unplug wds get URI [--out DIR] [--timeout 10m] [--name NAME] [--option NAME=VALUE ...]";

    private Usage() {
    }

    /** The one-line usage of a command, or of the whole tool when the command is null or unknown. */
    static String of(String command) {
        if (command == null) {
            return "unplug plugins|probe|demo|wds|help|--version";
        }
        return switch (command) {
            case "plugins" -> PLUGINS;
            case "probe" -> PROBE;
            case "demo" -> DEMO;
            case "wds" -> WDS;
            default -> "unplug plugins|probe|demo|wds|help|--version";
        };
    }

    /** The full help. */
    static String help() {
        return """
                unplug %s -- one disconnect contract for every kind of connection

                Usage:
                  %s
                      List every plugin found (class path and plugin folder): id, version, schemes,
                      capabilities, source (class path or jar), status and the reason when not usable.
                  %s
                      Connect to URI through the plugin serving its scheme (logging in when the URI carries
                      user:password@), then end the session: graceful sends the protocol's goodbye and waits
                      at most the deadline (ESCALATED to a drop when it passes); drop closes at once.
                      Prints the outcome: CLEAN, REFUSED, ESCALATED or DROPPED. Passwords are shown as ***.
                      --option sets a connection option, e.g. connectTimeout=5s, readTimeout=10s,
                      starttls=true, resetOnDrop=true, user=NAME, password=SECRET.
                  %s
                      Run embedded servers on 127.0.0.1 (GreenMail for SMTP, POP3 and IMAP; an NNTP server),
                      do real work through each plugin, end one session gracefully and drop a second one,
                      and show a graceful disconnect against a peer that never answers QUIT; serve a file by
                      multicast on lo to four clients, fall one back to unicast and abort one; connect a veth
                      link in a namespace of its own, pull its peer down, disconnect (as root).
                  %s
                      serve: a multicast transport server on 127.0.0.1 (multicast on lo, TTL 0) offering each
                      FILE as wds://127.0.0.1:PORT/NAMESPACE/FILENAME, one status line per second, until Ctrl-C
                      or --for. get: receive one content into --out (default .), with a progress bar on a
                      terminal or one line per second; exit 1 when it was aborted or failed.
                  unplug help | --help     This text.
                  unplug --version         The version.

                Durations: 300ms, 2s, 1m or ISO-8601 (PT2S).
                Exit status: 0 success (for probe: connected and ended, whatever the outcome); 1 the operation
                failed (one line: error: KIND (CODE): message);
                2 bad usage or bad input (unknown option or scheme, malformed URI, bad duration).
                """.formatted(version(), PLUGINS, PROBE, DEMO, WDS);
    }

    /** The version of this build. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Usage.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String v = p.getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }
}
