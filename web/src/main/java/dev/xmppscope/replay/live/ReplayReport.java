package dev.xmppscope.replay.live;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of re-sending a recorded c2s session to a live server.
 *
 * @param recordedConnection the connection that was re-sent, as the replayed capture numbers it
 * @param liveConnection     the id of the new session in the recording database (another numbering)
 * @param diff               one line per server answer: {@code "  "} as recorded, {@code "- "} recorded
 *                           but not answered now, {@code "+ "} answered now but not recorded
 * @param notes              what happened along the way (unanswered requests, refused TLS...)
 * @param authFailure        the condition of the SASL failure the replay stopped at ({@code not-authorized}) when
 *                           the server refused the login the recording had accepted, else null; the diff then
 *                           runs only to the login
 */
public record ReplayReport(long recordedConnection, long liveConnection, List<String> diff, List<String> notes,
                           String authFailure) {

    public ReplayReport(long recordedConnection, long liveConnection, List<String> diff, List<String> notes) {
        this(recordedConnection, liveConnection, diff, notes, null);
    }

    /** "authentication failed (not-authorized): check --user and the password", or null when the login worked. */
    public String authFailureText() {
        return authFailure == null ? null : "authentication failed (" + authFailure + "): check --user and the password";
    }

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
        // two captures, two numberings: say which id is whose
        s.append("replayed the capture's connection ").append(recordedConnection).append(" (the replay is connection ")
                .append(liveConnection).append(" of the database it is recorded into)\n");
        if (authFailure != null) {
            s.append(authFailureText()).append('\n');
            s.append("the replay stopped at the server's SASL failure; the rest of the session was not sent\n");
        }
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

    /**
     * The diff as side-by-side rows: each run of recorded-only lines is paired with the run of
     * live-only lines that follows it ({@code changed}); what is left over is {@code missing} or
     * {@code added}. Indexes count the server's top-level elements, as the analyzer's stanza refs do.
     */
    public List<DiffStep> steps() {
        List<DiffStep> out = new ArrayList<>();
        List<String[]> gone = new ArrayList<>(); // {shape, index}
        List<String[]> come = new ArrayList<>();
        int r = 0;
        int n = 0;
        for (String l : diff) {
            String shape = l.substring(2);
            if (l.startsWith("- ")) {
                if (!come.isEmpty()) {
                    pair(gone, come, out);
                }
                gone.add(new String[] {shape, String.valueOf(r++)});
            } else if (l.startsWith("+ ")) {
                come.add(new String[] {shape, String.valueOf(n++)});
            } else {
                pair(gone, come, out);
                out.add(new DiffStep("same", shape, shape, r++, n++));
            }
        }
        pair(gone, come, out);
        return out;
    }

    private static void pair(List<String[]> gone, List<String[]> come, List<DiffStep> out) {
        for (int k = 0; k < Math.max(gone.size(), come.size()); k++) {
            String[] g = k < gone.size() ? gone.get(k) : null;
            String[] c = k < come.size() ? come.get(k) : null;
            String change = g != null && c != null ? "changed" : g != null ? "missing" : "added";
            out.add(new DiffStep(change, g == null ? null : g[0], c == null ? null : c[0],
                    g == null ? -1 : Integer.parseInt(g[1]), c == null ? -1 : Integer.parseInt(c[1])));
        }
        gone.clear();
        come.clear();
    }
}
