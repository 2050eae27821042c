package dev.unplug.cli;

import dev.unplug.api.UnplugException;
import java.util.Optional;

/**
 * Bad usage or bad input on the command line (unknown option, missing argument, bad duration, unknown scheme,
 * malformed URI, ...): the CLI prints it in one line with a usage hint and exits with status 2. When the input
 * was rejected by Unplug itself the typed error is kept, so the line shows its kind and code. Immutable.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String command;
    private final transient UnplugException typed;

    /**
     * @param command the command whose usage to hint at, or null for the general usage
     * @param message what is wrong, in one line
     */
    UsageException(String command, String message) {
        super(message, null, false, false);
        this.command = command;
        this.typed = null;
    }

    /**
     * @param command the command whose usage to hint at, or null for the general usage
     * @param typed the error Unplug raised for the input ({@code INVALID_ARGUMENT}, {@code NULL_ARGUMENT})
     */
    UsageException(String command, UnplugException typed) {
        super(typed.getMessage(), null, false, false);
        this.command = command;
        this.typed = typed;
    }

    /** The command whose usage to show, or null. */
    String command() {
        return command;
    }

    /** The typed error behind the bad input, if Unplug raised one. */
    Optional<UnplugException> typed() {
        return Optional.ofNullable(typed);
    }
}
