package dev.unplug.cli;

import dev.unplug.api.UnplugException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The {@code unplug} command: {@code plugins}, {@code probe}, {@code demo}, {@code wds}, {@code completion},
 * {@code help} and {@code --version}. Arguments are parsed by picocli ({@link Args}), which also writes each
 * command's {@code --help} and the shell completion script.
 *
 * <p>Exit status: 0 on success; 1 when the operation failed with a typed error, printed on one line as
 * {@code error: KIND (CODE_NAME): message}; 2 on bad usage or bad input (unknown option, missing argument, bad
 * duration, unknown scheme, malformed URI), printed on one line with a usage hint. No stack trace is ever
 * printed, and no password: secrets given on the command line are masked in every line of output.
 *
 * <p>Run as {@code java -jar unplug.jar COMMAND ...}. Not meant to be used as a library.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Main {

    /**
     * The library's loggers ({@code dev.unplug.*}, System.Logger on JUL): WARNING and above only (a plugin that
     * misbehaved or failed to load, on standard error), since every command prints what matters in its own format
     * on its own streams. Held here because JUL keeps loggers weakly.
     */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("dev.unplug");

    static {
        LIBRARY_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private Main() {
    }

    /**
     * Runs the command and exits the JVM with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = run(args == null ? new String[0] : args, System.out, System.err);
        System.exit(status);
    }

    /** Runs the command, printing on the given streams, and returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Console console = new Console(out, err);
        List<String> all = Arrays.asList(args);
        String command = all.isEmpty() ? null : all.get(0);
        List<String> rest = all.isEmpty() ? List.of() : all.subList(1, all.size());
        try {
            if (command == null) {
                throw new UsageException(null, "no command given");
            }
            if (rest.contains("--help") || rest.contains("-h")) {
                String help = CompletionCommand.help(command, rest);
                if (help != null) {
                    console.out(help);
                    return 0;
                }
            }
            return switch (command) {
                case "help", "--help", "-h" -> {
                    console.out(Usage.help());
                    yield 0;
                }
                case "--version", "version" -> {
                    console.out(Usage.versions());
                    yield 0;
                }
                case "completion" -> CompletionCommand.run(rest, console);
                case "plugins" -> PluginsCommand.run(rest, console);
                case "probe" -> ProbeCommand.run(rest, console);
                case "demo" -> DemoCommand.run(rest, console);
                case "wds" -> WdsCommand.run(rest, console);
                default -> throw new UsageException(null, "unknown command '" + shorten(command) + "'");
            };
        } catch (UsageException e) {
            console.err(e.typed().map(Errors::line).orElse("error: " + Errors.oneLine(e.getMessage())));
            console.err("usage: " + Usage.of(e.command()) + "   (unplug help for more)");
            return 2;
        } catch (UnplugException e) {
            console.err(Errors.line(e));
            return 1;
        } catch (RuntimeException | LinkageError e) {
            console.err(Errors.unexpected(e));
            return 1;
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
