package dev.xmppscope.web;

/**
 * How far the analysis of a capture that {@code open} serves has come, and for a capture file, its
 * import before that: the UI serves what is known while they run, and its top bar says this.
 *
 * @param state        see {@link State}
 * @param records      the capture's records (connections opened and closed, chunks, events) analyzed so far
 * @param totalRecords the records the capture holds (0 while importing: not known yet)
 * @param captureBytes the XMPP bytes the capture holds, both directions (0 while importing)
 * @param failure      why the analysis failed (FAILED), else null
 * @param imported     for a capture file, its import; null for a capture database
 */
public record AnalysisProgress(State state, long records, long totalRecords, long captureBytes, String failure,
                               Import imported) {

    public enum State {
        /** A capture file is being imported into the database analyzed next: nothing is shown yet. */
        IMPORTING,
        /** It runs: what is shown grows. */
        ANALYZING,
        /** Everything is analyzed. */
        DONE,
        /** It stopped on an error (a damaged capture): what was analyzed before is shown. */
        FAILED
    }

    /**
     * The import of a capture file.
     *
     * @param bytesRead bytes of the file read so far
     * @param fileBytes the file's size
     * @param damage    where the file is damaged (the import kept what came before), else null
     */
    public record Import(long bytesRead, long fileBytes, String damage) {
    }

    /** The share of the file imported (IMPORTING), else of the records analyzed, 0 to 100. */
    public int percent() {
        if (state == State.IMPORTING) {
            return imported.fileBytes() <= 0 ? 0 : (int) Math.min(99, imported.bytesRead() * 100 / imported.fileBytes());
        }
        return state == State.DONE ? 100 : totalRecords <= 0 ? 0 : (int) Math.min(99, records * 100 / totalRecords);
    }
}
