package dev.xmppscope.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the federation graph shows, measured in the browser: how much of its pane the mesh fills,
 * and whether its labels can be told apart: streams' labels from each other and from nodes'. Only
 * labels drawn count: one the graph leaves out for want of room (shown on hover) covers nothing.
 */
public final class GraphGeometry {

    private GraphGeometry() {
    }

    /**
     * The mesh's rendered box (nodes, edges and their labels) in CSS pixels from the graph pane's
     * top left corner, and the pane's size.
     */
    public record Fill(double left, double top, double right, double bottom, double width, double height) {
        /** The share of the pane's width the mesh takes. */
        public double wideShare() {
            return (right - left) / width;
        }

        /** The share of the pane's height the mesh takes. */
        public double tallShare() {
            return (bottom - top) / height;
        }

        /** Whether the whole mesh is in view, at least {@code margin} px from each of the pane's edges. */
        public boolean inView(double margin) {
            return left >= margin && top >= margin && right <= width - margin && bottom <= height - margin;
        }

        /** Whether the mesh takes at least {@code oneWay} of the pane one way and {@code otherWay} the other. */
        public boolean fills(double oneWay, double otherWay) {
            return Math.max(wideShare(), tallShare()) >= oneWay && Math.min(wideShare(), tallShare()) >= otherWay;
        }
    }

    /** The mesh's box in its pane now. */
    public static Fill fill(HeadlessChromium browser) {
        List<?> box = (List<?>) browser.driver.executeScript("""
                const cy = xmppscope.graph.cy;
                const bb = cy.elements().not('.packet').renderedBoundingBox({includeOverlays: false, includeUnderlays: false});
                return [bb.x1, bb.y1, bb.x2, bb.y2, cy.width(), cy.height()];""");
        double[] v = box.stream().mapToDouble(n -> ((Number) n).doubleValue()).toArray();
        return new Fill(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    /**
     * {@link #fill} once the graph's view has stopped moving (a refit follows new nodes by a
     * moment), or null while it still moves: for a {@code WebDriverWait}.
     */
    public static Fill settledFill(HeadlessChromium browser) {
        Fill before = fill(browser);
        try {
            Thread.sleep(400);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the graph to settle", e);
        }
        Fill after = fill(browser);
        return before.equals(after) ? after : null;
    }

    /** How many pairs of parallel edges (between the same two nodes, either way) the graph has. */
    public static long parallelPairs(HeadlessChromium browser) {
        return ((Number) browser.driver.executeScript("const labelled = (e) => e.data('label');" + PAIRS
                + "return pairs.length;")).longValue();
    }

    /**
     * The pairs of parallel edges whose labels overlap, as "s2s:6 × s2s:7". A label is a rotated
     * rectangle (it runs along its edge): two overlap unless one of their four sides' directions
     * separates them (see {@link #LABEL_BOXES}).
     */
    @SuppressWarnings("unchecked")
    public static List<String> overlappingParallelLabels(HeadlessChromium browser) {
        return (List<String>) browser.driver.executeScript("const labelled = (e) => e.style('label') !== '';" + PAIRS + LABEL_BOXES + """
                return pairs.filter(([e, f]) => overlap(box(e), box(f))).map(([e, f]) => e.id() + ' × ' + f.id());""");
    }

    /**
     * Every pair of streams, between any nodes, whose labels overlap, as "s2s:6 × s2s:9 (a.example
     * → b.example × conference.b.example → c.example)": streams of different pairs of nodes that
     * run alongside each other have their labels in the same place too.
     */
    @SuppressWarnings("unchecked")
    public static List<String> overlappingStreamLabels(HeadlessChromium browser) {
        return (List<String>) browser.driver.executeScript(LABEL_BOXES + """
                const edges = xmppscope.graph.cy.edges().filter((e) => e.style('label') !== '').toArray();
                const name = (e) => e.id() + ' (' + e.source().id() + ' → ' + e.target().id() + ')';
                return edges.flatMap((e, i) => edges.slice(i + 1).filter((f) => overlap(box(e), box(f)))
                  .map((f) => name(e) + ' × ' + name(f)));""");
    }

    /** The nodes whose labels overlap a stream's label, as "component:x × s2s:9". */
    @SuppressWarnings("unchecked")
    public static List<String> nodeLabelsOverStreamLabels(HeadlessChromium browser) {
        return (List<String>) browser.driver.executeScript(LABEL_BOXES + """
                const edges = xmppscope.graph.cy.edges().filter((e) => e.style('label') !== '').toArray();
                const nodes = xmppscope.graph.cy.nodes().not('.packet').filter((n) => n.style('label') !== '').toArray();
                return nodes.flatMap((n) => edges.filter((e) => overlap(box(n), box(e))).map((e) => n.id() + ' × ' + e.id()));""");
    }

    /**
     * The clients whose labels overlap another node's label, as "client:x × server:y". Node labels
     * are not rotated: their boxes are their bounds with the node's body left out.
     */
    @SuppressWarnings("unchecked")
    public static List<String> overlappingClientLabels(HeadlessChromium browser) {
        return (List<String>) browser.driver.executeScript("""
                const nodes = xmppscope.graph.cy.nodes().not('.packet').toArray();
                const box = (n) => n.boundingBox({includeNodes: false, includeEdges: false, includeOverlays: false,
                  includeUnderlays: false, useCache: false});
                const overlap = (p, q) => p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2;
                return nodes.flatMap((n, i) => nodes.slice(i + 1)
                  .filter((m) => (n.data('kind') === 'client' || m.data('kind') === 'client') && overlap(box(n), box(m)))
                  .map((m) => n.id() + ' × ' + m.id()));""");
    }

    /**
     * The nodes of the given kinds whose labels a stream's line runs through, as "component:x ×
     * s2s:9". A stream is a quadratic curve from its source's border through its control point to
     * its target's, followed here in short steps.
     */
    @SuppressWarnings("unchecked")
    public static List<String> nodeLabelsCrossedByStreams(HeadlessChromium browser, String... kinds) {
        return (List<String>) browser.driver.executeScript(LABEL_BOXES + """
                const cy = xmppscope.graph.cy;
                const streams = cy.edges('[label != ""]').toArray();
                const nodes = cy.nodes().not('.packet').filter((n) => arguments[0].includes(n.data('kind')) && n.style('label') !== '').toArray();
                const curve = (e) => {
                  const [p, q] = [e.sourceEndpoint(), e.targetEndpoint()];
                  const c = (e.controlPoints() || [])[0] || {x: (p.x + q.x) / 2, y: (p.y + q.y) / 2};
                  return Array.from({length: 201}, (_, i) => i / 200).map((t) => ({
                    x: (1 - t) * (1 - t) * p.x + 2 * t * (1 - t) * c.x + t * t * q.x,
                    y: (1 - t) * (1 - t) * p.y + 2 * t * (1 - t) * c.y + t * t * q.y}));
                };
                const inside = (r, pt) => Math.abs(pt.x - r.x) < r.w / 2 && Math.abs(pt.y - r.y) < r.h / 2;
                return nodes.flatMap((n) => streams.filter((e) => curve(e).some((pt) => inside(box(n), pt)))
                  .map((e) => n.id() + ' × ' + e.id()));""", List.of(kinds));
    }

    /**
     * The nodes whose label is wider than the box Cytoscape keeps for it, as "id: label 104 px >
     * box 79 px" (graph units): the renderer draws a label into a texture the size of that box, so
     * such a label shows clipped ("b.example" drawn as ".exampl"). The box went stale when a fit
     * measured the labels while their font size was changing with the zoom.
     */
    @SuppressWarnings("unchecked")
    public static List<String> clippedNodeLabels(HeadlessChromium browser) {
        return (List<String>) browser.driver.executeScript("""
                const ctx = document.createElement('canvas').getContext('2d');
                return xmppscope.graph.cy.nodes().not('.packet').filter((n) => n.style('label')).map((n) => {
                  ctx.font = `${n.style('font-style')} ${n.style('font-weight')} ${n.style('font-size')} ${n.style('font-family')}`;
                  // a server's label is two lines (its name, its clients counted): the longest is what must fit
                  const text = Math.max(...String(n.style('label')).split('\\n').map((line) => ctx.measureText(line).width));
                  const box = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false}).w;
                  return text > box + 1 ? `${n.id()}: label ${Math.round(text)} px > box ${Math.round(box)} px` : null;
                }).filter((x) => x);""");
    }

    /** The browser windows of ordinary screens: a small laptop's, a laptop's and a desktop's. */
    public static final List<Dimension> ORDINARY_SCREENS = List.of(new Dimension(1024, 768), new Dimension(1280, 800),
            new Dimension(1920, 1080));

    /** Waits until the graph's view and labels stop changing (a refit and the labels' room follow changes by a moment). */
    public static void awaitSettled(HeadlessChromium browser) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d -> settledFill(browser) != null
                && (Boolean) browser.driver.executeScript("return !xmppscope.graph.fitPending;"));
    }

    /**
     * What keeps the graph's labels from being read: labels drawn under 10 px, labels drawn over
     * each other, servers left unnamed. Empty when all is well.
     */
    @SuppressWarnings("unchecked")
    public static List<String> unreadableLabels(HeadlessChromium browser) {
        List<String> problems = new ArrayList<>();
        labelsSmallerThan(browser, 10).forEach(s -> problems.add("under 10 px: " + s));
        overlappingLabels(browser).forEach(s -> problems.add("overlap: " + s));
        List<String> shown = shownLabels(browser);
        ((List<String>) browser.driver.executeScript("return xmppscope.graph.cy.nodes('[kind = \"server\"]').map((n) => n.id());"))
                .stream().filter(id -> !shown.contains(id)).forEach(id -> problems.add("unnamed: " + id));
        return problems;
    }

    /**
     * The labels drawn smaller than {@code px} on screen, as "client:x: 4.5 px". A label below its
     * element's min-zoomed-font-size is not drawn at all: it counts as drawn too small here.
     */
    @SuppressWarnings("unchecked")
    public static List<String> labelsSmallerThan(HeadlessChromium browser, double px) {
        return (List<String>) browser.driver.executeScript(SHOWN_LABELS + """
                const z = xmppscope.graph.cy.zoom();
                return shown.map((e) => [e.id(), parseFloat(e.style('font-size')) * z])
                  .filter(([, size]) => size < arguments[0]).map(([id, size]) => `${id}: ${size.toFixed(1)} px`);""", px);
    }

    /**
     * The nodes (servers, services, clients) whose label is not drawn: left out for want of room,
     * it shows only on hover.
     */
    @SuppressWarnings("unchecked")
    public static List<String> unlabelledNodes(HeadlessChromium browser) {
        List<String> shown = shownLabels(browser);
        return ((List<String>) browser.driver.executeScript("return xmppscope.graph.cy.nodes().not('.packet').map((n) => n.id());"))
                .stream().filter(id -> !shown.contains(id)).toList();
    }

    /** The ids of the nodes and edges whose label is drawn. */
    @SuppressWarnings("unchecked")
    public static List<String> shownLabels(HeadlessChromium browser) {
        return (List<String>) browser.driver.executeScript(SHOWN_LABELS + "return shown.map((e) => e.id());");
    }

    /**
     * Every pair of labels drawn (nodes' and streams', each a rectangle rotated as it is drawn) that
     * overlap, as "client:x × s2s:6".
     */
    @SuppressWarnings("unchecked")
    public static List<String> overlappingLabels(HeadlessChromium browser) {
        return (List<String>) browser.driver.executeScript(SHOWN_LABELS + LABEL_BOXES + """
                const boxes = shown.map((e) => [e.id(), box(e)]);
                return boxes.flatMap(([e, p], i) => boxes.slice(i + 1).filter(([, q]) => overlap(p, q)).map(([f]) => e + ' × ' + f));""");
    }

    /** Script defining {@code shown}, the nodes and edges (packets aside) whose label is drawn. */
    private static final String SHOWN_LABELS = """
            const shown = xmppscope.graph.cy.elements().not('.packet').filter((e) => e.style('label') !== ''
              && e.style('visibility') === 'visible' && e.style('display') === 'element').toArray();
            """;

    /**
     * Script defining {@code box(element)}, its main label as a rectangle rotated by the angle it
     * is drawn at, and {@code overlap(p, q)} of two such rectangles: they overlap unless one of
     * their four sides' directions separates them. Cytoscape keeps each label's unrotated box and
     * its angle only in its private rendering state (3.33 has no public accessor for either), read
     * here after a fresh bounds pass.
     */
    private static final String LABEL_BOXES = """
            const box = (e) => {
              e.boundingBox({useCache: false});
              const b = e._private.labelBounds.main;
              return {x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2, w: b.w, h: b.h, a: e._private.rstyle.labelAngle || 0};
            };
            const corners = (r) => [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([sx, sy]) => [
              r.x + sx * r.w / 2 * Math.cos(r.a) - sy * r.h / 2 * Math.sin(r.a),
              r.y + sx * r.w / 2 * Math.sin(r.a) + sy * r.h / 2 * Math.cos(r.a)]);
            const overlap = (p, q) => ![p.a, p.a + Math.PI / 2, q.a, q.a + Math.PI / 2].some((t) => {
              const along = (r) => corners(r).map(([x, y]) => x * Math.cos(t) + y * Math.sin(t));
              const [pp, qq] = [along(p), along(q)];
              return Math.max(...pp) <= Math.min(...qq) || Math.max(...qq) <= Math.min(...pp);
            });
            """;

    /** Script defining {@code pairs} of parallel edges among those {@code labelled} (a function it is given). */
    private static final String PAIRS = """
            const edges = xmppscope.graph.cy.edges().filter(labelled).toArray();
            const ends = (e) => [e.source().id(), e.target().id()].sort().join(' ');
            const pairs = edges.flatMap((e, i) => edges.slice(i + 1).filter((f) => ends(f) === ends(e)).map((f) => [e, f]));
            """;
}
