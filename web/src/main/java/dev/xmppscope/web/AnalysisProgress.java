package dev.xmppscope.web;

/**
 * How far the analysis of a capture that {@code open} serves has come: the UI serves what is
 * known while it runs, and its top bar says this.
 *
 * @param state        see {@link State}
 * @param records      the capture's records (connections opened and closed, chunks, events) analyzed so far
 * @param totalRecords the records the capture holds
 * @param captureBytes the XMPP bytes the capture holds, both directions
 * @param failure      why the analysis failed (FAILED), else null
 */
public record AnalysisProgress(State state, long records, long totalRecords, long captureBytes, String failure) {

    public enum State {
        /** It runs: what is shown grows. */
        ANALYZING,
        /** Everything is analyzed. */
        DONE,
        /** It stopped on an error (a damaged capture): what was analyzed before is shown. */
        FAILED
    }

    /** The share of the records analyzed, 0 to 100. */
    public int percent() {
        return state == State.DONE ? 100 : totalRecords <= 0 ? 0 : (int) Math.min(99, records * 100 / totalRecords);
    }
}
