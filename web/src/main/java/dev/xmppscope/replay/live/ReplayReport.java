package dev.xmppscope.replay.live;

import java.util.List;

/**
 * The outcome of re-sending a recorded c2s session to a live server.
 *
 * @param recordedConnection the connection that was re-sent
 * @param liveConnection     the id of the new session in the recording database
 * @param diff               one line per server answer: {@code "  "} as recorded, {@code "- "} recorded
 *                           but not answered now, {@code "+ "} answered now but not recorded
 * @param notes              what happened along the way (unanswered requests, refused TLS...)
 */
public record ReplayReport(long recordedConnection, long liveConnection, List<String> diff, List<String> notes) {

    /** True when the server answered exactly as recorded. */
    public boolean same() {
        return LineDiff.same(diff);
    }

    public long changes() {
        return diff.stream().filter(l -> !l.startsWith("  ")).count();
    }

    /** The report as text for a terminal. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append("replayed connection ").append(recordedConnection).append(" as connection ").append(liveConnection).append('\n');
        for (String n : notes) {
            s.append("note: ").append(n).append('\n');
        }
        s.append(same() ? "the server answered exactly as recorded (" + diff.size() + " answers)\n"
                : changes() + " of the server's answers differ (- recorded, + now):\n");
        for (String l : diff) {
            s.append(l).append('\n');
        }
        return s.toString();
    }
}
