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
    static final String COMPLETION = "unplug completion [--shell bash]";
    static final String WDS = "unplug wds serve FILE... [--port N] [--namespace NAME] [--rate 64m] [--block-size 1400]"
            + " [--for DURATION] | unplug wds get URI [--out DIR] [--timeout 10m] [--name NAME] [--option NAME=VALUE ...]";

    private Usage() {
    }

    /** The one-line usage of a command, or of the whole tool when the command is null or unknown. */
    static String of(String command) {
        if (command == null) {
            return "unplug plugins|probe|demo|wds|completion|help|--version";
        }
        return switch (command) {
            case "plugins" -> PLUGINS;
            case "probe" -> PROBE;
            case "demo" -> DEMO;
            case "wds" -> WDS;
            case "completion" -> COMPLETION;
            default -> "unplug plugins|probe|demo|wds|completion|help|--version";
        };
    }

    private static final java.util.Map<String, String> OPTIONS = java.util.Map.ofEntries(
            java.util.Map.entry("URI", "What to connect to, such as pop3://user:password@host:110,"
                    + " capture://lo?filter=... or netcon://veth-a?netns=NS; a password is never printed."),
            java.util.Map.entry("FILE", "A file to serve; its name is its content name."),
            java.util.Map.entry("--json", "Print JSON instead of a table (fields: see the README)."),
            java.util.Map.entry("--plugins-dir", "Also load the plugin jars of this folder."),
            java.util.Map.entry("--deadline", "The graceful deadline: 300ms, 2s, 1m or ISO-8601 (default 2s)."),
            java.util.Map.entry("--mode", "graceful (the protocol's goodbye, default) or drop."),
            java.util.Map.entry("--option", "A connection option NAME=VALUE, such as connectTimeout=5s; repeatable;"
                    + " a secret value is never printed."),
            java.util.Map.entry("--for", "How long a capture runs, or how long wds serve serves."),
            java.util.Map.entry("--port", "The TCP control port (default: any free port)."),
            java.util.Map.entry("--namespace", "The namespace the files are offered in (default files)."),
            java.util.Map.entry("--rate", "The multicast rate in bytes per second: 64m, 512k (default 64m)."),
            java.util.Map.entry("--block-size", "Bytes per multicast block, 512 to 65000 (default 1400)."),
            java.util.Map.entry("--out", "The folder the file goes into (default .)."),
            java.util.Map.entry("--timeout", "How long to wait for the whole transfer (default 10m)."),
            java.util.Map.entry("--name", "The client's name, as the server lists it."),
            java.util.Map.entry("--shell", "The shell the completion script is for: bash (zsh runs it with"
                    + " bashcompinit)."));

    /** The help line of an option. */
    static String describe(String option) {
        return OPTIONS.getOrDefault(option, "");
    }

    /** The value's name in an option's help: {@code --deadline=<DURATION>}. */
    static String label(String option) {
        return switch (option) {
            case "--deadline", "--for", "--timeout" -> "DURATION";
            case "--plugins-dir", "--out" -> "DIR";
            case "--option" -> "NAME=VALUE";
            case "--mode" -> "graceful|drop";
            case "--port" -> "PORT";
            case "--rate", "--block-size" -> "SIZE";
            default -> option.substring(2).toUpperCase(java.util.Locale.ROOT);
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
                  %s
                      Print a shell completion script (generated by picocli) for every command and option:
                      source <(java -jar unplug.jar completion)
                  unplug COMMAND --help    The command's options.
                  unplug help | --help     This text.
                  unplug --version         The version, and each plugin's.

                Durations: 300ms, 2s, 1m or ISO-8601 (PT2S).
                Exit status: 0 success (for probe: connected and ended, whatever the outcome); 1 the operation
                failed (one line: error: KIND (CODE): message);
                2 bad usage or bad input (unknown option or scheme, malformed URI, bad duration).
                """.formatted(version(), PLUGINS, PROBE, DEMO, WDS, COMPLETION);
    }

    /** {@code unplug VERSION}, then one line per plugin found on the class path: its id and version. */
    static String versions() {
        StringBuilder out = new StringBuilder("unplug " + version());
        try (dev.unplug.core.PluginHost host = dev.unplug.core.PluginHost.fromClassPath()) {
            for (dev.unplug.core.PluginInfo p : host.inspectPlugins()) {
                out.append(String.format("%n  %-8s %s", p.id(), p.version().orElse(p.status().name()
                        .toLowerCase(java.util.Locale.ROOT))));
            }
        }
        return out.toString();
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
