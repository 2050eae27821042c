package dev.unplug.cli;

import java.util.Collection;
import java.util.Map;

/**
 * A small JSON writer for the CLI's output: maps (in their iteration order), collections, strings, numbers,
 * booleans, enums (as their names) and null. Strings are escaped as RFC 8259 requires, plus U+2028 and U+2029
 * so the output is also safe to paste into JavaScript. Stateless and thread-safe.
 */
final class Json {

    private Json() {
    }

    /** The value as indented JSON text, without a trailing newline. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence s) {
            string(out, s.toString());
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())
                || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            out.append("null");
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Enum<?> e) {
            string(out, e.name());
        } else if (value instanceof Map<?, ?> m) {
            object(out, m, depth);
        } else if (value instanceof Collection<?> c) {
            array(out, c, depth);
        } else {
            string(out, value.toString());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, depth + 1);
            string(out, String.valueOf(e.getKey()));
            out.append(": ");
            write(out, e.getValue(), depth + 1);
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
    }

    private static void array(StringBuilder out, Collection<?> items, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        boolean simple = items.stream().noneMatch(i -> i instanceof Map || i instanceof Collection);
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (simple) {
                out.append(first ? "" : ", ");
            } else {
                out.append(first ? "\n" : ",\n");
                indent(out, depth + 1);
            }
            first = false;
            write(out, item, depth + 1);
        }
        if (!simple) {
            out.append('\n');
            indent(out, depth);
        }
        out.append(']');
    }

    /** Appends the text as a JSON string literal. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(depth));
    }
}
