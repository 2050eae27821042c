package dev.unplug.testkit;

import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.UnplugException;
import org.apiguardian.api.API;
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
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
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
        return assertThatUnplugThrownBy(null, code);
    }

    /**
     * Runs the code and starts assertions on the {@link UnplugException} it must throw; when it throws nothing or
     * something else, the failure starts with the rule, so that it says what the contract requires.
     *
     * @param rule what the contract requires, such as {@code "open must reject a scheme it does not serve"}; may
     *        be null
     * @param code the code to run
     * @return assertions on the exception
     * @throws AssertionError when the code throws no {@link UnplugException}
     */
    public static UnplugExceptionAssert assertThatUnplugThrownBy(String rule, ThrowingCallable code) {
        String prefix = rule == null ? "" : rule + ": ";
        Throwable thrown = Assertions.catchThrowable(code);
        if (thrown == null) {
            throw new AssertionError(prefix + "expected an UnplugException to be thrown, but nothing was thrown");
        }
        if (!(thrown instanceof UnplugException)) {
            throw new AssertionError(prefix + "expected an UnplugException to be thrown, but got "
                    + thrown.getClass().getName() + ": " + thrown.getMessage(), thrown);
        }
        UnplugExceptionAssert a = new UnplugExceptionAssert((UnplugException) thrown);
        return rule == null ? a : a.as(rule);
    }
}
