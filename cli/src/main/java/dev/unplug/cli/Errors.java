package dev.unplug.cli;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the CLI shows a typed error: one line for people, an object for JSON. Stateless. */
final class Errors {

    private Errors() {
    }

    /** {@code error: KIND (CODE_NAME): message}, on one line. */
    static String line(UnplugException e) {
        return "error: " + e.kind() + " (" + e.kind().code().name() + "): " + oneLine(e.getMessage());
    }

    /** {@code error: UNEXPECTED (E_UNEXPECTED): ...} for a failure that is not typed (a bug). */
    static String unexpected(Throwable t) {
        String m = t.getMessage();
        return "error: " + ErrorKind.UNEXPECTED + " (" + ErrorKind.UNEXPECTED.code().name() + "): "
                + oneLine(t.getClass().getName() + (m == null || m.isBlank() ? "" : ": " + m));
    }

    /** {@code {kind, code, message}} (plus {@code replyCode} and {@code serverReply} when the server sent one). */
    static Map<String, Object> json(UnplugException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", e.kind().name());
        m.put("code", e.kind().code().name());
        m.put("message", oneLine(e.getMessage()));
        e.replyCode().ifPresent(c -> m.put("replyCode", c));
        e.serverReply().ifPresent(r -> m.put("serverReply", r));
        return m;
    }

    /** The text with line breaks and runs of white space folded into single spaces. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
