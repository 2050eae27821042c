package dev.unplug.testkit;

import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.time.Duration;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractObjectAssert;

/**
 * AssertJ assertions on a {@link DisconnectOutcome}; get one from
 * {@link UnplugAssertions#assertThat(DisconnectOutcome)}. Failure messages show the whole outcome. Not
 * thread-safe (as every AssertJ assertion).
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class DisconnectOutcomeAssert extends AbstractObjectAssert<DisconnectOutcomeAssert, DisconnectOutcome> {

    DisconnectOutcomeAssert(DisconnectOutcome actual) {
        super(actual, DisconnectOutcomeAssert.class);
    }

    /** The outcome is of the given kind. */
    public DisconnectOutcomeAssert hasKind(DisconnectOutcome.Kind kind) {
        isNotNull();
        if (actual.kind() != kind) {
            failWithMessage("Expected a %s disconnect outcome but was <%s>", kind, actual);
        }
        return this;
    }

    /** The goodbye was answered positively. */
    public DisconnectOutcomeAssert isClean() {
        return hasKind(DisconnectOutcome.Kind.CLEAN);
    }

    /** The goodbye was answered with an error. */
    public DisconnectOutcomeAssert isRefused() {
        return hasKind(DisconnectOutcome.Kind.REFUSED);
    }

    /** The goodbye did not complete, so the connection was dropped. */
    public DisconnectOutcomeAssert isEscalated() {
        return hasKind(DisconnectOutcome.Kind.ESCALATED);
    }

    /** The connection was dropped on request. */
    public DisconnectOutcomeAssert isDropped() {
        return hasKind(DisconnectOutcome.Kind.DROPPED);
    }

    /** The connection ended on its own: the connect failed, or the transport failed under a command. */
    public DisconnectOutcomeAssert isFailed() {
        return hasKind(DisconnectOutcome.Kind.FAILED);
    }

    /** The server's last reply is there and contains the text. */
    public DisconnectOutcomeAssert hasLastReplyContaining(String text) {
        isNotNull();
        if (actual.lastReply().isEmpty()) {
            failWithMessage("Expected the outcome's last reply to contain <%s> but it had no last reply: <%s>", text,
                    actual);
        } else if (!actual.lastReply().get().contains(text)) {
            failWithMessage("Expected the outcome's last reply to contain <%s> but it was <%s>", text,
                    actual.lastReply().get());
        }
        return this;
    }

    /** The outcome carries no server reply. */
    public DisconnectOutcomeAssert hasNoLastReply() {
        isNotNull();
        if (actual.lastReply().isPresent()) {
            failWithMessage("Expected no last reply but was <%s>", actual.lastReply().get());
        }
        return this;
    }

    /** The outcome's elapsed time is strictly less than the limit. */
    public DisconnectOutcomeAssert tookLessThan(Duration limit) {
        isNotNull();
        if (actual.elapsed().compareTo(limit) >= 0) {
            failWithMessage("Expected the disconnect to take less than %d ms but it took %d ms: <%s>",
                    limit.toMillis(), actual.elapsed().toMillis(), actual);
        }
        return this;
    }

    /** The outcome carries a cause of the given kind. */
    public DisconnectOutcomeAssert hasCauseOfKind(ErrorKind kind) {
        isNotNull();
        ErrorKind k = actual.cause().map(UnplugException::kind).orElse(null);
        if (k != kind) {
            failWithMessage("Expected a cause of kind %s but was <%s> in <%s>", kind, k, actual);
        }
        return this;
    }
}
