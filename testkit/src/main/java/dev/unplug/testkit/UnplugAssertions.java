package dev.unplug.testkit;

import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.UnplugException;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Entry point of the AssertJ assertions for Unplug types. Statically import what you need:
 *
 * <pre>{@code
 * assertThat(connection.disconnect(Duration.ofSeconds(2))).isClean().hasLastReplyContaining("221");
 * assertThatUnplugThrownBy(() -> connection.disconnect()).hasKind(ErrorKind.NOT_CONNECTED);
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class UnplugAssertions {

    private UnplugAssertions() {
    }

    /** Assertions on a disconnect outcome. */
    public static DisconnectOutcomeAssert assertThat(DisconnectOutcome actual) {
        return new DisconnectOutcomeAssert(actual);
    }

    /** Assertions on an Unplug exception. */
    public static UnplugExceptionAssert assertThat(UnplugException actual) {
        return new UnplugExceptionAssert(actual);
    }

    /**
     * Runs the code and asserts that it raises an {@link UnplugException}: fails when it returns normally or raises
     * anything else (a raw {@code NullPointerException}, say), naming what it raised.
     *
     * @param code the code to run
     * @return assertions on the exception raised
     */
    public static UnplugExceptionAssert assertThatUnplugThrownBy(ThrowingCallable code) {
        Throwable thrown = Assertions.catchThrowable(code);
        if (thrown == null) {
            throw new AssertionError("Expected an UnplugException to be thrown, but nothing was thrown");
        }
        if (!(thrown instanceof UnplugException)) {
            throw new AssertionError("Expected an UnplugException to be thrown, but got " + thrown.getClass().getName()
                    + ": " + thrown.getMessage(), thrown);
        }
        return new UnplugExceptionAssert((UnplugException) thrown);
    }
}
