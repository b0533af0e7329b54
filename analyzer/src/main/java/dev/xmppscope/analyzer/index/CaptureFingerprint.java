package dev.xmppscope.analyzer.index;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import java.util.Objects;
import java.util.Optional;

/**
 * What an analysis was made from, so that a kept one ({@link KeptAnalysis}) is used only for the
 * capture it describes: the same capture (its id), as it was then (its records, which a proxy or an
 * import recording into it again adds to, and a connection closed as left open changes; and its
 * payload file, which only grows), analysed by the same code (the index's and the kept analysis's
 * layouts, and the analyzer's build: what a step or a warning says changes between builds without
 * a change of layout). Nothing records into a capture while it is analysed: H2 locks its file to
 * one process, and {@code open} and {@code show} record nothing.
 *
 * @param captureId    {@link CaptureStore#id()}
 * @param records      the records the capture holds ({@link CaptureFiles#recordCount})
 * @param payloadBytes the size of its payload file
 * @param indexVersion the index's layout ({@link StanzaIndex#SCHEMA_VERSION})
 * @param keptVersion  the kept analysis's layout ({@link KeptAnalysis#VERSION})
 * @param build        the analyzer's build ({@link AnalyzerBuild})
 */
public record CaptureFingerprint(String captureId, long records, long payloadBytes, int indexVersion, int keptVersion,
                                 String build) {

    /**
     * The capture in {@code store} as it is now, and this analyzer; its payload size as the file's
     * once closed (a proxy stopping takes it before its recorder's file is closed, see
     * {@link CaptureStore#payloadBytes}).
     */
    public static CaptureFingerprint of(CaptureStore store) {
        return new CaptureFingerprint(store.id(), CaptureFiles.recordCount(store), store.payloadBytes(),
                StanzaIndex.SCHEMA_VERSION, KeptAnalysis.VERSION, AnalyzerBuild.id());
    }

    /** Why an analysis made from this cannot answer for the capture as {@code now} describes it; empty if it can. */
    Optional<String> whyNotFor(CaptureFingerprint now) {
        if (!Objects.equals(captureId, now.captureId)) { // null: read from a description that lacks it
            return Optional.of("it was made from another capture");
        }
        if (records != now.records || payloadBytes != now.payloadBytes) {
            boolean grown = now.records >= records && now.payloadBytes >= payloadBytes;
            return Optional.of(String.format("the capture has %s since it was made (%,d records then, %,d now; %,d bytes of"
                    + " payload then, %,d now)", grown ? "grown" : "changed", records, now.records, payloadBytes, now.payloadBytes));
        }
        if (indexVersion != now.indexVersion || keptVersion != now.keptVersion) {
            return Optional.of(String.format("it was made by another version of xmppscope (layout %d.%d, now %d.%d)",
                    indexVersion, keptVersion, now.indexVersion, now.keptVersion));
        }
        if (!Objects.equals(build, now.build)) {
            return Optional.of("xmppscope was rebuilt or updated since it was made");
        }
        return Optional.empty();
    }
}
