package dev.xmppscope.web.live;

import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.web.api.ApiJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WebSocket's message shapes: {@code {"type":"graph","node":…}}, {@code {"type":"graph","edge":…}},
 * {@code {"type":"graph","nodeRemoved":ID}}, {@code {"type":"graph","edgeRemoved":ID}},
 * {@code {"type":"connection","connection":…}}, {@code {"type":"step","step":…}},
 * {@code {"type":"stanza","stanza":…}}, {@code {"type":"route","ref":…,"route":…}} and
 * {@code {"type":"reset","reason":…}} (reload everything: the model was replaced or events were dropped).
 */
public final class LiveEvents {

    private LiveEvents() {
    }

    public static Map<String, Object> toJson(ModelEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (event instanceof ModelEvent.NodeUpdated e) {
            m.put("type", "graph");
            m.put("node", e.node());
        } else if (event instanceof ModelEvent.EdgeUpdated e) {
            m.put("type", "graph");
            m.put("edge", e.edge());
        } else if (event instanceof ModelEvent.NodeRemoved e) {
            m.put("type", "graph");
            m.put("nodeRemoved", e.id());
        } else if (event instanceof ModelEvent.EdgeRemoved e) {
            m.put("type", "graph");
            m.put("edgeRemoved", e.id());
        } else if (event instanceof ModelEvent.ConnectionUpdated e) {
            m.put("type", "connection");
            m.put("connection", e.connection());
        } else if (event instanceof ModelEvent.StepAdded e) {
            m.put("type", "step");
            m.put("step", e.step());
        } else if (event instanceof ModelEvent.StanzaAdded e) {
            m.put("type", "stanza");
            m.put("stanza", e.stanza());
        } else if (event instanceof ModelEvent.RouteUpdated e) {
            m.put("type", "route");
            m.put("ref", e.ref());
            m.put("route", ApiJson.route(e.route()));
        } else {
            throw new IllegalArgumentException("unknown model event " + event);
        }
        return m;
    }

    public static Map<String, Object> reset(String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "reset");
        m.put("reason", reason);
        return m;
    }
}
