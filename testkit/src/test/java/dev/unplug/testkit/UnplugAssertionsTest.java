package dev.unplug.testkit;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnplugAssertionsTest {

    private static final DisconnectOutcome CLEAN = DisconnectOutcome.clean(Duration.ofMillis(12), "221 2.0.0 Bye");
    private static final DisconnectOutcome ESCALATED = DisconnectOutcome.escalated(Duration.ofMillis(300),
            "deadline passed", null, new UnplugException(ErrorKind.TIMEOUT, "no answer"));

    @Test
    void outcomeAssertionsPassOnMatchingOutcomes() {
        assertThat(CLEAN).isClean().hasLastReplyContaining("221").tookLessThan(Duration.ofMillis(13));
        assertThat(ESCALATED).isEscalated().hasNoLastReply().hasCauseOfKind(ErrorKind.TIMEOUT);
        assertThat(DisconnectOutcome.dropped(Duration.ZERO, null)).isDropped();
        assertThat(DisconnectOutcome.refused(Duration.ZERO, "-ERR no", new UnplugException(ErrorKind.POP3_ERROR,
                "no"))).isRefused().hasLastReplyContaining("-ERR");
    }

    @Test
    void outcomeAssertionsFailWithTheWholeOutcomeInTheMessage() {
        assertThatThrownBy(() -> assertThat(CLEAN).isDropped()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected a DROPPED disconnect outcome").hasMessageContaining("221 2.0.0 Bye");
        assertThatThrownBy(() -> assertThat(CLEAN).hasLastReplyContaining("205")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("221 2.0.0 Bye");
        assertThatThrownBy(() -> assertThat(ESCALATED).hasLastReplyContaining("221"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no last reply");
        assertThatThrownBy(() -> assertThat(CLEAN).tookLessThan(Duration.ofMillis(12)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("took 12 ms");
        assertThatThrownBy(() -> assertThat(CLEAN).hasNoLastReply()).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(CLEAN).hasCauseOfKind(ErrorKind.TIMEOUT))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat((DisconnectOutcome) null).isClean()).isInstanceOf(AssertionError.class);
    }

    @Test
    void thrownByAssertionsCheckKindReplyCodeAndMessage() {
        assertThatUnplugThrownBy(() -> {
            throw new UnplugException(ErrorKind.SMTP_ERROR, "RCPT TO refused by smtp://127.0.0.1", null, 550,
                    "550 5.1.1 no such user");
        }).hasKind(ErrorKind.SMTP_ERROR).hasReplyCode(550).hasServerReplyContaining("no such user")
                .messageContains("RCPT TO").messageDoesNotContain("secret");
    }

    @Test
    void thrownByFailsWhenNothingOrSomethingElseIsThrown() {
        assertThatThrownBy(() -> assertThatUnplugThrownBy(() -> { })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("nothing was thrown");
        assertThatThrownBy(() -> assertThatUnplugThrownBy(() -> {
            throw new NullPointerException("raw");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("java.lang.NullPointerException");
    }

    @Test
    void thrownByAssertionsFailOnTheWrongKindOrCode() {
        UnplugException e = new UnplugException(ErrorKind.NOT_CONNECTED, "smtp://127.0.0.1 is not connected");
        assertThatThrownBy(() -> assertThat(e).hasKind(ErrorKind.NOT_INITIALISED)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("NOT_INITIALISED").hasMessageContaining("NOT_CONNECTED");
        assertThatThrownBy(() -> assertThat(e).hasReplyCode(421)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("none");
        assertThatThrownBy(() -> assertThat(e).messageContains("refused")).isInstanceOf(AssertionError.class);
    }

    @Test
    void messageDoesNotContainLooksIntoCausesWithoutEchoingTheSecret() {
        UnplugException leaky = new UnplugException(ErrorKind.SOCKET_ERROR, "read failed",
                new IOException("login alice hunter2 failed"));
        assertThatThrownBy(() -> assertThat(leaky).messageDoesNotContain("hunter2"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("java.io.IOException")
                .hasMessageNotContaining("hunter2");
        UnplugException inReply = new UnplugException(ErrorKind.POP3_ERROR, "PASS refused", null, -1,
                "-ERR bad password hunter2");
        assertThatThrownBy(() -> assertThat(inReply).messageDoesNotContain("hunter2"))
                .isInstanceOf(AssertionError.class).hasMessageNotContaining("hunter2");
    }
}
