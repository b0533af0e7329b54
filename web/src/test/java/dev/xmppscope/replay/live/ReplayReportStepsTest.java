package dev.xmppscope.replay.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a line diff becomes side-by-side rows with each side's position among the server's answers. */
class ReplayReportStepsTest {

    private static ReplayReport report(String... lines) {
        return new ReplayReport(1, 2, List.of(lines), List.of());
    }

    @Test
    void aReplacedAnswerIsOneChangedRowAndPositionsStayAligned() {
        List<DiffStep> steps = report("  <a>", "- <iq type=result>", "+ <iq type=error>", "  <b>").steps();
        assertEquals(List.of(
                new DiffStep("same", "<a>", "<a>", 0, 0),
                new DiffStep("changed", "<iq type=result>", "<iq type=error>", 1, 1),
                new DiffStep("same", "<b>", "<b>", 2, 2)), steps);
    }

    @Test
    void unevenRunsLeaveMissingAndAddedRows() {
        List<DiffStep> steps = report("- <x>", "- <y>", "+ <z>", "  <c>", "+ <extra>").steps();
        assertEquals(List.of(
                new DiffStep("changed", "<x>", "<z>", 0, 0),
                new DiffStep("missing", "<y>", null, 1, -1),
                new DiffStep("same", "<c>", "<c>", 2, 1),
                new DiffStep("added", null, "<extra>", -1, 2)), steps);
    }
}
