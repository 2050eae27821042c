package dev.unplug.testkit;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.util.OptionalInt;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * AssertJ assertions on an {@link UnplugException}, with every throwable assertion of AssertJ besides; get one
 * from {@link UnplugAssertions#assertThatUnplugThrownBy} or {@link UnplugAssertions#assertThat(UnplugException)}.
 * Not thread-safe (as every AssertJ assertion).
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class UnplugExceptionAssert extends AbstractThrowableAssert<UnplugExceptionAssert, UnplugException> {

    UnplugExceptionAssert(UnplugException actual) {
        super(actual, UnplugExceptionAssert.class);
    }

    /** The exception is of the given kind. */
    public UnplugExceptionAssert hasKind(ErrorKind kind) {
        isNotNull();
        if (actual.kind() != kind) {
            failWithMessage("Expected an UnplugException of kind %s but was %s: %s", kind, actual.kind(),
                    actual.getMessage());
        }
        return this;
    }

    /** The exception carries the server's reply code. */
    public UnplugExceptionAssert hasReplyCode(int code) {
        isNotNull();
        OptionalInt actualCode = actual.replyCode();
        if (actualCode.isEmpty() || actualCode.getAsInt() != code) {
            failWithMessage("Expected reply code %d but was %s: %s", code,
                    actualCode.isEmpty() ? "none" : String.valueOf(actualCode.getAsInt()), actual.getMessage());
        }
        return this;
    }

    /** The exception carries the server's reply, containing the text. */
    public UnplugExceptionAssert hasServerReplyContaining(String text) {
        isNotNull();
        String reply = actual.serverReply().orElse(null);
        if (reply == null || !reply.contains(text)) {
            failWithMessage("Expected a server reply containing <%s> but was <%s>", text, reply);
        }
        return this;
    }

    /** The message contains the text. */
    public UnplugExceptionAssert messageContains(String text) {
        isNotNull();
        String m = actual.getMessage();
        if (m == null || !m.contains(text)) {
            failWithMessage("Expected the message to contain <%s> but was <%s>", text, m);
        }
        return this;
    }

    /**
     * Neither the message, nor {@code toString()}, nor the server reply, nor the message of any cause contains the
     * text: use it with a password to prove it does not leak.
     */
    public UnplugExceptionAssert messageDoesNotContain(String secret) {
        isNotNull();
        if (secret == null || secret.isEmpty()) {
            failWithMessage("The text to look for must not be null or empty");
        }
        if (String.valueOf(actual.serverReply().orElse("")).contains(secret)
                || String.valueOf(actual).contains(secret)) {
            failWithMessage("Expected the exception not to contain the secret, but it does: %s", kindOnly(actual));
        }
        for (Throwable t = actual; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(secret) || String.valueOf(t).contains(secret)) {
                failWithMessage("Expected the exception not to contain the secret, but its cause %s does",
                        t.getClass().getName());
            }
        }
        return this;
    }

    private static String kindOnly(UnplugException e) {
        // never echo the secret into the failure message itself
        return e.getClass().getName() + " of kind " + e.kind();
    }
}
