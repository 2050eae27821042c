package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.DisconnectOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoReportTest {

    private static final DemoRow OK = new DemoRow("SMTP", "sent 1 message",
            DisconnectOutcome.clean(Duration.ofMillis(3), "221 Bye"), DisconnectOutcome.dropped(Duration.ZERO, null),
            DemoRow.Result.OK, "goodbye answered: 221 Bye");

    @Test
    void aProtocolThatDidNotRunIsNeverCountedAsASuccess() {
        DemoRow missing = new DemoRow("NNTP", "not available yet", null, null, DemoRow.Result.NOT_AVAILABLE, null);
        String report = DemoReport.render(List.of("servers"), List.of(OK, missing));
        assertThat(missing.asExpected()).isFalse();
        assertThat(report).contains("1 of 2 behaved as expected; 1 not available yet")
                .contains("did NOT fully succeed");
        assertThat(report.lines().filter(l -> l.startsWith("NNTP")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).contains("not available yet").endsWith("not run").doesNotContain("CLEAN"));
    }

    @Test
    void everyRowShowsItsOutcomesAndTimesAndTheFootnotesTheLastReplies() {
        String report = DemoReport.render(List.of("GreenMail: SMTP 127.0.0.1:1"), List.of(OK));
        assertThat(report).contains("GreenMail: SMTP 127.0.0.1:1")
                .containsPattern("SMTP +sent 1 message +CLEAN 3\\.0 ms +DROPPED 0\\.0 ms +ok")
                .contains("goodbye answered: 221 Bye").endsWith("1 of 1 behaved as expected.");
    }

    @Test
    void tableColumnsAreAlignedAndNullCellsShowAsDashes() {
        String t = new Table("A", "B", "C").row("long value", null, "x").row("s", "y", null).render();
        List<String> lines = t.lines().toList();
        assertThat(lines).containsExactly("A           B  C", "long value  -  x", "s           y  -");
    }
}
