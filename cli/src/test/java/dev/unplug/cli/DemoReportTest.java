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

    @Test
    void aLongWorkCellAndFootnoteWrapSoThatEveryLineFitsIn120ColumnsAndNoWordIsLost() {
        String work = ("48 frames of the SMTP demo on lo in /tmp/unplug-demo-capture/capture-lo.pcap; SMTP commands "
                + "seen: EHLO, AUTH, MAIL, RCPT, DATA, QUIT; ").repeat(3) + "disconnect while capturing refused";
        String detail = "client fallback COMPLETE multicast 1,299,200 B, unicast 2,895,104 B ".repeat(3) + "end";
        DemoRow wide = new DemoRow("capture", work, DisconnectOutcome.clean(Duration.ofMillis(5), null),
                DisconnectOutcome.dropped(Duration.ZERO, null), DemoRow.Result.OK, detail);
        String report = DemoReport.render(List.of("servers"), List.of(OK, wide));
        assertThat(report.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(DemoReport.WIDTH));
        assertThat(report.lines().filter(l -> l.startsWith("capture")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).contains("48 frames of the SMTP demo").contains("CLEAN 5.0 ms").endsWith("ok"));
        List<String> lines = report.lines().toList();
        String header = lines.stream().filter(l -> l.startsWith("PROTOCOL")).findFirst().orElseThrow();
        int from = header.indexOf("WORK DONE");
        int to = header.indexOf("GRACEFUL");
        int first = lines.indexOf(lines.stream().filter(l -> l.startsWith("capture")).findFirst().orElseThrow());
        StringBuilder column = new StringBuilder();
        for (int i = first; i < lines.size() && (i == first || lines.get(i).startsWith(" ")); i++) {
            String l = lines.get(i);
            column.append(' ').append(l.substring(Math.min(from, l.length()), Math.min(to, l.length())).trim());
        }
        assertThat(column.toString().trim()).isEqualTo(work);
        assertThat(report.replaceAll("\\s+", " ")).contains(detail);
    }

    @Test
    void aWordLongerThanItsColumnIsCutRatherThanOverflowing() {
        assertThat(Table.wrap("a " + "x".repeat(30) + " b", 12))
                .containsExactly("a", "xxxxxxxxxxxx", "xxxxxxxxxxxx", "xxxxxx b");
    }
}
