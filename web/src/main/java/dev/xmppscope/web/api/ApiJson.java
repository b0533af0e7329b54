package dev.xmppscope.web.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.negotiation.Conditions;
import dev.xmppscope.analyzer.route.RouteAbsence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the API, built from the analyzer's records. Records serialize as they are;
 * the stanza detail flattens its summary and adds xml/route/iq fields, and route hops also carry
 * {@code heldMs} for people and scripts that do not think in nanoseconds.
 */
public final class ApiJson {

    /** The mapper the app and the live socket share. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ApiJson() {
    }

    /** {@code {"items":[...]}}, plus {@code "next"} when paged. */
    public static Map<String, Object> items(List<?> items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        return m;
    }

    public static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> stanzaDetail(StanzaDetail d) {
        Map<String, Object> m = MAPPER.convertValue(d.stanza(), LinkedHashMap.class);
        m.put("xml", d.xml());
        m.put("route", d.route() == null ? null : route(d.route()));
        m.put("noRoute", d.route() == null ? RouteAbsence.reason(d.stanza().kind(), d.stanza().type(), d.stanza().id(), d.xml()) : null);
        m.put("iqPartner", d.iqPartner());
        m.put("iqRttNanos", d.iqRttNanos());
        m.put("iqRttMs", d.iqRttNanos() == null ? null : d.iqRttNanos() / 1e6);
        m.put("unanswered", d.unanswered());
        m.put("error", d.error());
        m.put("errorMeaning", Conditions.meaning(d.stanza().kind(), d.error()));
        m.put("carries", d.carries());
        return m;
    }

    public static Map<String, Object> route(StanzaRoute r) {
        List<Map<String, Object>> hops = new ArrayList<>();
        for (StanzaRoute.Hop h : r.hops()) {
            Map<String, Object> hop = new LinkedHashMap<>();
            hop.put("stanzaRef", h.stanzaRef());
            hop.put("connection", h.connection());
            hop.put("source", h.source());
            hop.put("target", h.target());
            hop.put("at", h.at());
            hop.put("heldNanos", h.heldNanos());
            hop.put("heldMs", h.heldNanos() == null ? null : h.heldNanos() / 1e6);
            hop.put("after", h.after());
            hop.put("how", h.how());
            hop.put("linkOpened", h.linkOpened());
            hop.put("to", h.to());
            hops.add(hop);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ref", r.hops().isEmpty() ? null : r.hops().get(0).stanzaRef());
        m.put("hops", hops);
        m.put("confidence", r.confidence());
        m.put("explanation", r.explanation());
        return m;
    }
}
