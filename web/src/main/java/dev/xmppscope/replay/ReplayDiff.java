package dev.xmppscope.replay;

import dev.xmppscope.replay.live.ReplayReport;
import java.util.List;
import java.util.stream.Stream;

/**
 * A stored replay diff: which two connections of the capture database were compared, and how
 * the server's answers line up, step by step, with links to both stanzas.
 *
 * @param id                  key in the database (0 before it is saved)
 * @param at                  when the replay ran, epoch nanoseconds
 * @param target              the live server it was re-sent to ({@code 127.0.0.2:5222})
 * @param recordedConnection  the recorded session's connection id in this database
 * @param replayedConnection  the live session's connection id in this database
 * @param changes             how many answers differ
 * @param notes               what happened along the way (unanswered requests...)
 * @param steps               the rows, in stream order
 */
public record ReplayDiff(long id, long at, String target, long recordedConnection, long replayedConnection,
                         long changes, List<String> notes, List<Step> steps) {

    /**
     * One row: the recorded and the replayed answer and their stanza refs ({@code "3-c-7"}, the
     * analyzer's key for /stanzas/{ref}), null where a side has no answer.
     */
    public record Step(String change, String recorded, String replayed, String recordedRef, String replayedRef) {
    }

    /** The report of a replay whose sessions were written as {@code recordedConnection} and {@code replayedConnection}. */
    public static ReplayDiff of(ReplayReport report, long at, String target, long recordedConnection, long replayedConnection) {
        List<Step> steps = report.steps().stream().map(s -> new Step(s.change(), s.recorded(), s.replayed(),
                ref(recordedConnection, s.recordedIndex()), ref(replayedConnection, s.replayedIndex()))).toList();
        List<String> notes = report.authFailure() == null ? report.notes()
                : Stream.concat(Stream.of(report.authFailureText()), report.notes().stream()).toList();
        return new ReplayDiff(0, at, target, recordedConnection, replayedConnection, report.changes(), notes, steps);
    }

    ReplayDiff withId(long newId) {
        return new ReplayDiff(newId, at, target, recordedConnection, replayedConnection, changes, notes, steps);
    }

    /** Server answers travel to the client: the analyzer counts them under "c". */
    private static String ref(long connection, int index) {
        return index < 0 ? null : connection + "-c-" + index;
    }

}
