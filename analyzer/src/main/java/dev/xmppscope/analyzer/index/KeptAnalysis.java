package dev.xmppscope.analyzer.index;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.route.RouteArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The analysis of a whole capture, kept in its analysis file beside the index, so that opening the
 * capture again answers without parsing it: the streams, each one's negotiation, the graph, and
 * the routes the analysis answered from memory at the end (the others are in the index's archive
 * already). Written once an analysis has read all of the capture; used only while what it was
 * made from ({@link Made#whyNotFor}) is the capture as it is now. Gzipped JSON of the model's own
 * records: the streams and the graph are read whole when it is opened, a stream's steps when asked
 * for, the routes looked up as the archive's are.
 *
 * <p>Its maps are not named by the index's version ({@code xs.WHAT.vN} maps of another version are
 * dropped unread): one kept by another version is read far enough to say so. An analysis that does
 * not reuse it drops it first, so that one interrupted leaves none behind.
 */
public final class KeptAnalysis {
    /** Bumped with each change to what is kept or how: a kept analysis of another layout is not read. */
    static final int VERSION = 1;
    /** "made" (a {@link Made}) and "model" (a {@link Model}), JSON; the model gzipped. */
    private static final String KEPT = "xs.kept";
    /** Connection id → its negotiation steps, gzipped JSON. */
    private static final String STEPS = "xs.kept.steps";
    /** The routes the analysis held in memory, laid out as the index's archive ({@link StoredRoutes}). */
    private static final String ROUTES = "xs.kept.routes";
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<List<NegotiationStep>> STEP_LIST = new TypeReference<>() { };

    /** When an analysis was kept ({@code atMillis}, epoch), from what; a null fingerprint if it cannot be read. */
    public record Made(CaptureFingerprint fingerprint, long atMillis) {

        /** Why it cannot answer for the capture as {@code now} describes it; empty if it can. */
        public Optional<String> whyNotFor(CaptureFingerprint now) {
            return fingerprint == null ? Optional.of("it cannot be read (another version of xmppscope kept it)")
                    : fingerprint.whyNotFor(now);
        }
    }

    /** What every view of the analysis needs: how far it reached ({@code visibleUntil}, epoch nanoseconds), the streams, the graph. */
    public record Model(long visibleUntil, List<ConnectionView> connections, GraphSnapshot graph) {
    }

    private final MVStore mv;
    private final MVMap<String, byte[]> kept;
    private final MVMap<Long, byte[]> steps;

    private KeptAnalysis(MVStore mv) {
        this.mv = mv;
        this.kept = mv.openMap(KEPT);
        this.steps = mv.openMap(STEPS, StanzaIndex.bytesByLong());
    }

    /** The kept analysis in the analysis file whose store is {@code mv} (there may be none). */
    public static KeptAnalysis in(MVStore mv) {
        synchronized (mv) {
            return new KeptAnalysis(mv);
        }
    }

    /** When and from what the analysis was kept; empty if none is. */
    public Optional<Made> made() {
        byte[] made = kept.get("made");
        if (made == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(made, Made.class));
        } catch (IOException e) {
            return Optional.of(new Made(null, 0)); // why it is not reused is said as that
        }
    }

    /** The streams and the graph; call only once {@link #made} said it answers for the capture. */
    public Model model() {
        return fromJson(kept.get("model"), JSON.constructType(Model.class));
    }

    /** The negotiation steps of connection {@code id}; empty for one the analysis did not see. */
    public List<NegotiationStep> steps(long id) {
        byte[] b = steps.get(id);
        return b == null ? List.of() : fromJson(b, JSON.getTypeFactory().constructType(STEP_LIST));
    }

    /** The routes the analysis answered from memory, looked up as {@code index}'s archive looks up its own. */
    public RouteArchive routes(StanzaIndex index) {
        return new StoredRoutes(routesMap(), index::routeFirst);
    }

    /** Forgets what is kept: an analysis is about to write the index anew. */
    public void drop() {
        kept.clear(); // first: what is left without its description is never read
        steps.clear();
        routesMap().clear();
    }

    /**
     * Keeps the analysis of a whole capture: {@code model}, each of its connections' steps
     * ({@code stepsOf}) and the routes it answers from memory. What was kept before goes; the
     * description ({@code made}) is written last, so a keep cut short is never read. The caller
     * commits the store.
     */
    public void keep(Made made, Model model, LongFunction<List<NegotiationStep>> stepsOf, List<StanzaRoute> routes) {
        drop();
        for (ConnectionView c : model.connections()) {
            steps.put(c.id(), gzippedJson(stepsOf.apply(c.id())));
        }
        StoredRoutes routesKept = new StoredRoutes(routesMap(), ref -> -1); // written only: nothing is looked up
        routes.forEach(routesKept::save);
        kept.put("model", gzippedJson(model));
        try {
            kept.put("made", JSON.writeValueAsBytes(made));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write what the kept analysis was made from", e);
        }
    }

    private MVMap<Long, byte[]> routesMap() {
        synchronized (mv) {
            return mv.openMap(ROUTES, StanzaIndex.bytesByLong());
        }
    }

    private static byte[] gzippedJson(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            JSON.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kept analysis", e);
        }
        return bytes.toByteArray();
    }

    private static <T> T fromJson(byte[] gzipped, JavaType type) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return JSON.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("it cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
