package dev.xmppscope.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open analysis files ({@code PATH.analysis.mv.db}): H2 MVStores of key-value maps that the
 * analyzer derives from a capture. MVStore locks its file, so each is opened once per JVM and
 * shared by every {@link CaptureStore} on the same PATH (a served capture and its replays).
 *
 * <p>The file is derived data: one that belongs to another capture, or that cannot be opened (an
 * older layout, damage), is emptied and rebuilt rather than trusted.
 */
final class AnalysisFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisFiles.class);
    private static final String DERIVED_FROM = "xs.derived_from";
    /**
     * Unsaved changes MVStore keeps before its background thread writes them: fewer, larger
     * writes, but not so many that closing has most of the index still to write (16 MiB made
     * closing an analysis of an 8 MB pcap take 30 ms instead of 20) or that they weigh on the GC.
     */
    private static final int WRITE_BUFFER_KB = 2 * 1024;
    /**
     * Pages kept in memory after they are written. The default (16 MiB) kept pages the UI rarely
     * reads again alive through every young collection of a busy analysis (10 MiB more to copy).
     */
    private static final int CACHE_MB = 4;
    private static final Map<Path, Shared> OPEN = new HashMap<>();

    private static final class Shared {
        final MVStore store;
        int users;

        Shared(MVStore store) {
            this.store = store;
        }
    }

    private AnalysisFiles() {
    }

    /**
     * The store of {@code file}, opened if this JVM has not yet (from a background thread if
     * {@code background}; the first opener decides); pair with {@link #release}.
     */
    static synchronized MVStore acquire(Path file, String captureId, boolean background) {
        Path key = file.toAbsolutePath().normalize();
        Shared s = OPEN.get(key);
        if (s == null) {
            s = new Shared(open(key, background));
            forgetAnalysisOfAnotherCapture(s.store, captureId);
            OPEN.put(key, s);
        }
        s.users++;
        return s.store;
    }

    /** One user is done; the last one closes the store (writing what is unsaved). */
    static synchronized void release(Path file) {
        Path key = file.toAbsolutePath().normalize();
        Shared s = OPEN.get(key);
        if (s != null && --s.users == 0) {
            OPEN.remove(key);
            try {
                s.store.close();
            } catch (MVStoreException e) {
                throw CaptureStoreException.of("cannot write the analysis file " + file, e); // a full disk, say
            }
        }
    }

    /**
     * Opens the file, from a background thread if {@code background}: MVStore's writer thread,
     * started here, inherits that priority, so saving a live analysis never takes CPU from the
     * relay. A file another process holds is an error; a file that cannot be read (damage, an
     * older layout) is rebuilt.
     */
    private static MVStore open(Path file, boolean background) {
        try {
            return openOnce(file, background);
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new CaptureStoreException("the analysis file " + file + " is in use by another process"
                        + " (another xmppscope on the same capture?)", e);
            }
            if (e.getErrorCode() == DataUtils.ERROR_WRITING_FAILED) {
                throw CaptureStoreException.of("cannot write the analysis file " + file, e); // a full disk: rebuilding cannot help
            }
            LOG.info("the analysis file {} cannot be read ({}); it is rebuilt", file, e.getMessage());
        }
        try {
            Files.deleteIfExists(file);
            return openOnce(file, background);
        } catch (IOException | MVStoreException e) {
            throw CaptureStoreException.of("cannot open the analysis file " + file, e);
        }
    }

    private static MVStore openOnce(Path file, boolean background) {
        try {
            OwnerOnly.createFile(file); // it holds what the capture holds, summed up
        } catch (IOException e) {
            throw CaptureStoreException.of("cannot create the analysis file " + file, e);
        }
        return background ? openInBackground(file) : builder(file).open();
    }

    private static MVStore openInBackground(Path file) {
        try {
            return BackgroundThreads.call("xmppscope-analysis-open", () -> builder(file).open());
        } catch (MVStoreException e) {
            throw e;
        } catch (Exception e) {
            throw CaptureStoreException.of("cannot open the analysis file " + file, e);
        }
    }

    /**
     * Pages are not compressed. Until 2026-12-06 they were (LZF), while every stanza's
     * record carried its XML: uncompressed the analysis took twice the disk of the capture,
     * compressed a quarter to a half of it. Records now say where the XML is in the payload file
     * (only an element cut across reads, or one fed from outside the capture, keeps a copy), and
     * compressing what is left took a tenth of an analysis's CPU (on the benchmark's 16 MB capture,
     * 159-163 ms an analysis without against 186-192 with, same harness, back to back); its
     * analysis file is 7.7 MB uncompressed, as large as it was compressed with the XML in it.
     * Files written compressed still read: each page says whether it is.
     */
    private static MVStore.Builder builder(Path file) {
        return new MVStore.Builder().fileName(file.toString()).autoCommitBufferSize(WRITE_BUFFER_KB).cacheSize(CACHE_MB)
                .autoCompactFillRate(0);
    }

    /**
     * The analysis belongs to this capture only if it records this capture's id (a capture file
     * replaced by hand next to an old analysis would otherwise show stale stanzas): if not, every
     * map in it is dropped, to be rebuilt.
     */
    private static void forgetAnalysisOfAnotherCapture(MVStore store, String captureId) {
        MVMap<String, String> derivedFrom = store.openMap(DERIVED_FROM);
        if (captureId.equals(derivedFrom.get("capture_id"))) {
            return;
        }
        for (String name : store.getMapNames()) {
            store.removeMap(name);
        }
        store.<String, String>openMap(DERIVED_FROM).put("capture_id", captureId);
        store.commit();
    }
}
