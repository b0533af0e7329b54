package dev.xmppscope.web;

import java.util.List;
import java.util.Map;

/**
 * What the federation graph shows, measured in the browser: how much of its pane the mesh fills,
 * and whether its labels can be told apart.
 */
public final class GraphGeometry {

    private GraphGeometry() {
    }

    /**
     * The mesh's rendered box (nodes, edges and their labels) in CSS pixels from the graph pane's
     * top left corner ({@code left}, {@code top}, {@code right}, {@code bottom}), with the pane's
     * {@code width} and {@code height}.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Number> fill(HeadlessChromium browser) {
        return (Map<String, Number>) browser.driver.executeScript("""
                const cy = xmppscope.graph.cy;
                const bb = cy.elements().not('.packet').renderedBoundingBox({includeOverlays: false, includeUnderlays: false});
                return {left: bb.x1, top: bb.y1, right: bb.x2, bottom: bb.y2, width: cy.width(), height: cy.height()};""");
    }

    /**
     * {@link #fill} once the graph's view has stopped moving (a refit follows new nodes by a
     * moment), or null while it still moves: for a {@code WebDriverWait}.
     */
    public static Map<String, Number> settledFill(HeadlessChromium browser) {
        Map<String, Number> before = fill(browser);
        try {
            Thread.sleep(400);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the graph to settle", e);
        }
        Map<String, Number> after = fill(browser);
        return before.equals(after) ? after : null;
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
}
