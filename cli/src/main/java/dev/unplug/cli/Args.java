package dev.unplug.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed arguments of one command: flags ({@code --json}), options with a value ({@code --deadline 2s} or
 * {@code --deadline=2s}; some may repeat) and positional arguments. {@code --} ends the options. Anything not
 * declared is a {@link UsageException}. Immutable once parsed.
 */
final class Args {

    /** What a command accepts. */
    record Spec(String command, Set<String> flags, Set<String> valued, Set<String> repeatable, int minPositional,
            int maxPositional, String positionalName) {
    }

    private final Set<String> flags;
    private final Map<String, List<String>> values;
    private final List<String> positionals;

    private Args(Set<String> flags, Map<String, List<String>> values, List<String> positionals) {
        this.flags = flags;
        this.values = values;
        this.positionals = positionals;
    }

    /**
     * Parses the arguments that follow the command name.
     *
     * @throws UsageException for an unknown option, a missing value, a repeated option that may not repeat, or
     *         too few or too many positional arguments
     */
    static Args parse(Spec spec, List<String> args) {
        Set<String> flags = new java.util.HashSet<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                positionals.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = a;
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                name = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            if (spec.flags().contains(name)) {
                if (inline != null) {
                    throw new UsageException(spec.command(), name + " takes no value");
                }
                flags.add(name);
            } else if (spec.valued().contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(spec.command(), name + " needs a value");
                    }
                    v = args.get(++i);
                }
                List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
                if (!list.isEmpty() && !spec.repeatable().contains(name)) {
                    throw new UsageException(spec.command(), name + " given more than once");
                }
                list.add(v);
            } else {
                throw new UsageException(spec.command(), "unknown option " + quoted(name) + " for '"
                        + spec.command() + "'");
            }
        }
        if (positionals.size() < spec.minPositional()) {
            throw new UsageException(spec.command(), "missing argument " + spec.positionalName() + " for '"
                    + spec.command() + "'");
        }
        if (positionals.size() > spec.maxPositional()) {
            throw new UsageException(spec.command(), "unexpected argument " + quoted(positionals.get(
                    spec.maxPositional())) + " for '" + spec.command() + "'");
        }
        return new Args(Set.copyOf(flags), values, List.copyOf(positionals));
    }

    /** Whether the flag was given. */
    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The value of an option given at most once. */
    Optional<String> value(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** Every value of a repeatable option, in order. */
    List<String> values(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** The positional arguments, in order. */
    List<String> positionals() {
        return positionals;
    }

    private static String quoted(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "'" + shown + "'";
    }
}
