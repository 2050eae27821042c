package dev.unplug.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DisconnectOutcomeTest {

    @Test
    void eachKindCarriesWhatItShould() {
        DisconnectOutcome clean = DisconnectOutcome.clean(Duration.ofMillis(5), " 221 Bye\r\n");
        assertThat(clean.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(clean.isGraceful()).isTrue();
        assertThat(clean.lastReply()).contains("221 Bye");
        assertThat(clean.cause()).isEmpty();
        UnplugException no = new UnplugException(ErrorKind.POP3_ERROR, "QUIT refused", null, -1, "-ERR no");
        DisconnectOutcome refused = DisconnectOutcome.refused(Duration.ZERO, "-ERR no", no);
        assertThat(refused.isGraceful()).isTrue();
        assertThat(refused.cause()).containsSame(no);
        DisconnectOutcome escalated = DisconnectOutcome.escalated(Duration.ofMillis(300), "deadline", "", null);
        assertThat(escalated.isGraceful()).isFalse();
        assertThat(escalated.lastReply()).as("blank reply").isEmpty();
        DisconnectOutcome dropped = DisconnectOutcome.dropped(null, null);
        assertThat(dropped.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(dropped.elapsed()).isEqualTo(Duration.ZERO);
        assertThat(dropped.reason()).isEqualTo("dropped on request");
    }

    @Test
    void negativeElapsedBecomesZeroAndToStringNamesKindTimeAndReply() {
        DisconnectOutcome o = DisconnectOutcome.clean(Duration.ofMillis(-3), "205 bye");
        assertThat(o.elapsed()).isEqualTo(Duration.ZERO);
        assertThat(o.toString()).contains("CLEAN").contains("0 ms").contains("205 bye");
    }

    @Test
    void exceptionCarriesKindReplyAndNeverANullKind() {
        UnplugException e = new UnplugException(null, null);
        assertThat(e.kind()).isEqualTo(ErrorKind.UNEXPECTED);
        assertThat(e.getMessage()).isEqualTo("unexpected");
        assertThat(e.replyCode()).isEmpty();
        UnplugException smtp = new UnplugException(ErrorKind.SMTP_ERROR, "MAIL refused", null, 550, " 550 no \r\n");
        assertThat(smtp.replyCode()).hasValue(550);
        assertThat(smtp.serverReply()).contains("550 no");
        assertThat(smtp.toString()).contains("SMTP_ERROR").contains("IXP_E_SMTP_RESPONSE_ERROR")
                .contains("MAIL refused");
        assertThat(UnplugException.requireNonNull("x", "name")).isEqualTo("x");
    }
}
