package dev.unplug.imap;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading IMAP answers (RFC 3501) and writing IMAP arguments. Stateless helpers. */
final class ImapReplies {

    private static final Pattern TAGGED = Pattern.compile("^[^*+\\s]\\S*\\s+(OK|NO|BAD)\\b.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EXISTS = Pattern.compile("^\\*\\s+(\\d+)\\s+EXISTS\\b.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPUNGED = Pattern.compile("^\\*\\s+\\d+\\s+EXPUNGE\\b.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS_ITEM = Pattern.compile("([A-Za-z0-9.-]+)\\s+(\\d+)");

    private ImapReplies() {
    }

    /** The last line of an answer: the tagged status line when the answer is complete. */
    static String tagged(String[] lines) {
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    /** The status word of a tagged line ({@code OK}, {@code NO}, {@code BAD}), upper case, or empty. */
    static String status(String taggedLine) {
        Matcher m = TAGGED.matcher(taggedLine);
        return m.matches() ? m.group(1).toUpperCase(Locale.ROOT) : "";
    }

    /** Whether an untagged {@code * BYE} is among the lines; returns it, or null. */
    static String bye(String[] lines) {
        for (String l : lines) {
            if (isBye(l)) {
                return l;
            }
        }
        return null;
    }

    static boolean isBye(String line) {
        return line.regionMatches(true, 0, "* BYE", 0, 5) && (line.length() == 5 || line.charAt(5) == ' ');
    }

    /**
     * The error kind of a negative answer line: tagged {@code NO} is {@link ErrorKind#IMAP_NO}, {@code BAD}
     * {@link ErrorKind#IMAP_BAD}, {@code * BYE} {@link ErrorKind#IMAP_BYE}; anything else (such as an {@code OK}
     * that lacks the {@code BYE} a LOGOUT needs) breaks the protocol: {@link ErrorKind#MALFORMED_REPLY}.
     */
    static ErrorKind kindOf(String line) {
        if (isBye(line)) {
            return ErrorKind.IMAP_BYE;
        }
        return switch (status(line)) {
            case "NO" -> ErrorKind.IMAP_NO;
            case "BAD" -> ErrorKind.IMAP_BAD;
            default -> ErrorKind.MALFORMED_REPLY;
        };
    }

    /** The message count of a SELECT answer ({@code * n EXISTS}), or 0 when absent. */
    static int exists(String[] lines) {
        int count = 0;
        for (String l : lines) {
            Matcher m = EXISTS.matcher(l);
            if (m.matches()) {
                count = Integer.parseInt(m.group(1));
            }
        }
        return count;
    }

    /** The number of {@code * n EXPUNGE} lines. */
    static int expunged(String[] lines) {
        int n = 0;
        for (String l : lines) {
            if (EXPUNGED.matcher(l).matches()) {
                n++;
            }
        }
        return n;
    }

    /** The numbers of the {@code * SEARCH} lines. */
    static List<Integer> searchResults(String[] lines) {
        List<Integer> found = new ArrayList<>();
        for (String l : lines) {
            if (l.regionMatches(true, 0, "* SEARCH", 0, 8)) {
                for (String n : l.substring(8).trim().split("\\s+")) {
                    if (n.matches("\\d{1,10}")) {
                        found.add(Integer.valueOf(n));
                    }
                }
            }
        }
        return found;
    }

    /** The items of a {@code * STATUS mailbox (NAME n ...)} line. */
    static Map<String, Long> statusItems(String[] lines) {
        Map<String, Long> items = new LinkedHashMap<>();
        for (String l : lines) {
            int open = l.lastIndexOf('(');
            int close = l.lastIndexOf(')');
            if (l.regionMatches(true, 0, "* STATUS", 0, 8) && open >= 0 && close > open) {
                Matcher m = STATUS_ITEM.matcher(l.substring(open + 1, close));
                while (m.find()) {
                    items.put(m.group(1).toUpperCase(Locale.ROOT), Long.valueOf(m.group(2)));
                }
            }
        }
        return items;
    }

    /** An IMAP quoted string. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Checks an argument that goes on a command line.
     *
     * @param what its name, for the message; the value itself is named only when {@code shown}
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null, {@link ErrorKind#INVALID_ARGUMENT} when
     *         it is empty or holds a line break or NUL (which would smuggle a second command)
     */
    static String arg(String value, String what, boolean shown) {
        UnplugException.requireNonNull(value, what);
        if (value.isEmpty() || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, what + " must be non-empty text without line"
                    + " breaks" + (shown ? ", not '" + value.replace("\r", "\\r").replace("\n", "\\n") + "'" : ""));
        }
        return value;
    }
}
