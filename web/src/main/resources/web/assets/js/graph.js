// The federation graph (cytoscape): servers big, their clients around them, streams as edges
// coloured by state and thickened by traffic. Updates arrive one node/edge at a time and never
// move what is already placed. Labels are drawn on the canvas, so wire text never becomes HTML.

import {StableLayout} from './layout.js';
import {store} from './store.js';
import {reveal, truncateMiddle} from './dom.js';

const STATE_COLOURS = {negotiating: '#d49a1e', established: '#3d8b6a', encrypted: '#5c7fb0', closed: '#a3acb6',
  error: '#cf4338'};
const MAX_PACKETS = 40;
const FIT_MARGIN = 24;    // px between the fitted mesh (labels included) and the pane's edges
const MAX_FIT_ZOOM = 1.5; // a mesh of one or two nodes is not blown up to fill the pane
const WARNING_MARK = '⚠';

export class GraphView {
  constructor(container, {onSelect}) {
    this.container = container;
    this.layout = this.newLayout();
    this.onSelect = onSelect;
    this.packets = 0;
    this.packetSeq = 0;
    this.fitPending = null;
    /* global cytoscape */
    this.cy = withoutWarnings(() => cytoscape({
      container,
      minZoom: 0.05,
      maxZoom: 3,
      // a notch of the default (1) zooms by leaps of 2.5×; a quarter of it steps by 1.26×
      wheelSensitivity: 0.25,
      boxSelectionEnabled: false,
      autoungrabify: false,
      layout: {name: 'preset'},
    }));
    this.cy.style(this.style()); // after the construction, so a mistake in it is still warned about
    this.cy.on('tap', 'node', (e) => {
      if (e.target.hasClass('packet')) return;
      this.onSelect({type: 'node', node: store.nodes.get(e.target.id())});
    });
    this.cy.on('tap', 'edge', (e) => this.onSelect({type: 'edge', edge: store.edges.get(e.target.id())}));
    this.cy.on('tap', (e) => { if (e.target === this.cy) this.onSelect(null); });
    // what went or may have gone wrong on a stream, on hover: the canvas has no tooltips of its own
    this.cy.on('mouseover', 'edge', (e) => {
      const edge = store.edges.get(e.target.id());
      const said = edge && [edge.error, edge.warning].filter(Boolean).map(reveal).join('\n');
      if (said) container.title = said;
    });
    this.cy.on('mouseout', 'edge', () => container.removeAttribute('title'));
    this.cy.on('zoom', () => this.scaleLabels());
    // only the reader's own gestures count: a fit moves the view too
    this.cy.on('dragpan scrollzoom pinchzoom', () => { this.userMoved = true; });
    // a pane that changes size (the window, the narrow layout) refits a view the reader has not framed
    new ResizeObserver(() => this.scheduleFit()).observe(container);
  }

  newLayout() {
    return new StableLayout(() => ({width: this.container.clientWidth, height: this.container.clientHeight}));
  }

  /**
   * Keeps labels readable when zoomed out: font sizes grow as the zoom shrinks (within limits).
   * Streams between the same two nodes (one each way, say) bend apart by as much as their labels
   * are tall, so those labels never cover each other. A stream's warning mark keeps its size on
   * screen at any zoom: it must be seen however far out the mesh is.
   */
  scaleLabels() {
    const z = this.cy.zoom();
    if (Math.abs(z - (this.labelZoom || 0)) < 0.02) return;
    this.labelZoom = z;
    const s2sFont = Math.min(26, Math.max(10, 10 / z));
    this.cy.style()
      .selector('node[kind = "server"]').style('font-size', Math.min(40, Math.max(14, 13 / z)))
      // with many clients their labels stay small, so they appear only when zoomed in (min-zoomed-font-size)
      .selector('node[kind = "client"], node[kind = "component"]')
      .style('font-size', this.cy.nodes('[kind = "client"]').length > 60 ? 10 : Math.min(18, Math.max(10, 10 / z)))
      .selector('edge[kind = "s2s"]').style({'font-size': s2sFont, 'control-point-step-size': parallelStep(s2sFont)})
      .selector('edge[?warned][kind != "s2s"]').style('font-size', 13 / z)
      .update();
    // Cytoscape keeps the box it last measured for each label, and draws the label into a texture
    // that size: measured before a font change (a fit measures the mesh, labels included, round
    // after round), a live mesh's labels showed clipped ("b.example" as ".exampl"). Only what has
    // labels: the c2s edges, most of a big mesh, have none.
    this.cy.nodes().union(this.cy.edges('[kind = "s2s"]')).dirtyBoundingBoxCache();
  }

  style() {
    return [
      {selector: 'node', style: {
        'label': 'data(short)', 'font-size': 10, 'color': '#33404d', 'text-valign': 'bottom', 'text-margin-y': 4,
        'text-outline-color': '#f7f9fb', 'text-outline-width': 2, 'background-color': '#3d8b6a',
        'width': 14, 'height': 14, 'border-width': 0, 'min-zoomed-font-size': 6}},
      {selector: 'node[kind = "server"]', style: {
        'background-color': '#2563a6', 'width': 46, 'height': 46, 'font-size': 15, 'font-weight': 600,
        'color': '#1d2733', 'text-margin-y': 6, 'border-width': 4, 'border-color': '#cfe0f3', 'z-index': 5,
        'min-zoomed-font-size': 4}},
      {selector: 'node[side = "right"]', style: {'text-halign': 'right', 'text-valign': 'center', 'text-margin-x': 4, 'text-margin-y': 0}},
      {selector: 'node[side = "left"]', style: {'text-halign': 'left', 'text-valign': 'center', 'text-margin-x': -4, 'text-margin-y': 0}},
      {selector: 'node[side = "above"]', style: {'text-valign': 'top', 'text-margin-y': -4}},
      {selector: 'node[kind = "component"]', style: {
        'shape': 'diamond', 'background-color': '#8a5fb5', 'width': 20, 'height': 20}},
      {selector: 'node[?flagged]', style: {'border-width': 3, 'border-color': '#cf4338'}},
      {selector: 'edge', style: {
        'width': 'data(width)', 'line-color': 'data(colour)', 'curve-style': 'haystack', 'haystack-radius': 0,
        'opacity': 0.8}},
      {selector: 'edge[kind = "s2s"]', style: {
        'curve-style': 'bezier', 'control-point-step-size': parallelStep(11), 'target-arrow-shape': 'triangle',
        'target-arrow-color': 'data(colour)', 'arrow-scale': 1.1, 'label': 'data(label)', 'font-size': 11,
        'color': '#4a5561', 'text-background-color': '#ffffff', 'text-background-opacity': 0.85,
        'text-background-padding': 2, 'text-rotation': 'autorotate', 'opacity': 0.95}},
      {selector: 'edge[state = "closed"]', style: {'line-style': 'dashed', 'opacity': 0.55}},
      // a stream's warning is a mark on its middle, at any zoom and however many clients
      {selector: 'edge[?warned]', style: {
        'label': 'data(label)', 'color': '#9a5b00', 'font-weight': 700, 'opacity': 0.95,
        'text-background-color': '#fff4d6', 'text-background-opacity': 1, 'text-background-padding': 2,
        'text-border-color': '#d49a1e', 'text-border-width': 1, 'text-border-opacity': 1}},
      {selector: 'edge[?warned][kind != "s2s"]', style: {'font-size': 13}}, // an s2s stream's keeps its label's size
      {selector: '.faded', style: {'opacity': 0.12, 'text-opacity': 0.15}},
      {selector: 'node.focus', style: {'border-width': 4, 'border-color': '#1d2733'}},
      {selector: 'edge.focus', style: {'line-color': '#1d2733', 'target-arrow-color': '#1d2733', 'opacity': 1}},
      {selector: 'edge.flash', style: {'line-color': '#4f9be0', 'target-arrow-color': '#4f9be0', 'opacity': 1}},
      {selector: 'node.packet', style: {
        'width': 11, 'height': 11, 'background-color': '#f08a24', 'border-width': 2, 'border-color': '#fff',
        'label': '', 'z-index': 99, 'events': 'no'}},
      {selector: 'node.packet.message', style: {'background-color': '#2563a6'}},
      {selector: 'node.packet.presence', style: {'background-color': '#3d8b6a'}},
      {selector: 'node.packet.iq', style: {'background-color': '#8a5fb5'}},
    ];
  }

  /**
   * The pane is shown for the first time: the mesh known so far is placed for the pane's shape
   * (nothing is placed while the pane is hidden: the page may have opened on the connections view).
   */
  firstShown() {
    this.load({nodes: [...store.nodes.values()], edges: [...store.edges.values()]});
  }

  /** Replaces everything with a snapshot (first load and after a reset). */
  load(snapshot) {
    this.cy.elements().remove();
    this.layout = this.newLayout();
    this.cy.batch(() => {
      // servers first, so clients know where their server sits
      const nodes = [...snapshot.nodes].sort((a, b) => (a.kind === 'server' ? 0 : 1) - (b.kind === 'server' ? 0 : 1));
      for (const n of nodes) this.placeNode(n);
      for (const e of snapshot.edges) this.upsertEdge(e);
    });
    this.fit();
  }

  /** A node arrived live: placed, and while the picture is small, refitted to keep it whole. */
  upsertNode(node) {
    if (this.placeNode(node)) this.scheduleFitIfSmall();
  }

  /**
   * Adds a node where the layout puts it, or updates it; true if it is new. A load places every
   * node and fits once: asking after each one whether the picture was still small counted the
   * nodes each time, and a mesh of 5,000 clients took 1.8 s to count itself.
   */
  placeNode(node) {
    const existing = this.cy.getElementById(node.id);
    const data = {id: node.id, kind: node.kind, short: shortLabel(node), flagged: !!node.flags};
    if (existing.nonempty()) {
      const moved = existing.data('kind') !== node.kind;
      existing.data(data);
      // a server found to be another's service (conference.b.example, once b.example shows up) goes beside it
      if (moved) {
        const p = this.positionFor(node);
        existing.data('side', p.labelSide || 'below');
        existing.position({x: p.x, y: p.y});
      }
      return false;
    }
    const p = this.positionFor(node);
    this.cy.add({group: 'nodes', data: {...data, side: p.labelSide || 'below'}, position: {x: p.x, y: p.y}});
    return true;
  }

  /** Where the layout puts the node, and for a client or a service which side of it its label goes (`labelSide`). */
  positionFor(node) {
    return node.kind === 'server' ? this.layout.serverPosition(node.id)
      : node.kind === 'component' ? this.layout.componentPosition(node.parent, node.id)
        : this.layout.clientPosition(node.parent);
  }

  upsertEdge(edge) {
    if (this.cy.getElementById(edge.source).empty() || this.cy.getElementById(edge.target).empty()) {
      return; // the analyzer sends nodes before their edges; a stray edge waits for the next snapshot
    }
    const data = {
      id: edge.id, source: edge.source, target: edge.target, kind: edge.kind, state: edge.state,
      colour: STATE_COLOURS[edge.state] || '#a3acb6',
      width: edge.kind === 's2s' ? 2 + Math.min(8, Math.log2(1 + edge.stanzas)) : 1 + Math.min(4, Math.log2(1 + edge.stanzas) / 2),
      label: [edge.warning ? WARNING_MARK : '', edge.kind === 's2s' ? `${edge.stanzas} stanzas` : ''].filter(Boolean).join(' '),
      warned: !!edge.warning,
    };
    let existing = this.cy.getElementById(edge.id);
    if (existing.nonempty() && (existing.data('source') !== edge.source || existing.data('target') !== edge.target)) {
      existing.remove(); // re-attached to its real endpoints (a placeholder client got its JID)
      existing = this.cy.collection();
    }
    if (existing.nonempty()) existing.data(data);
    else this.cy.add({group: 'edges', data});
  }

  /** Removes a node (with its edges) or an edge. */
  remove(id) {
    this.cy.getElementById(id).remove();
  }

  /** While the picture is small, keep it fitted as it grows; later the user's zoom wins. */
  scheduleFitIfSmall() {
    if (this.cy.nodes().length <= 60) this.scheduleFit();
  }

  /** Refits in a moment, unless the reader has panned or zoomed the view themselves. */
  scheduleFit() {
    if (this.userMoved) return;
    clearTimeout(this.fitPending);
    this.fitPending = setTimeout(() => this.fit(), 150);
  }

  /**
   * Shows the whole mesh, labels included, as large as the pane allows with a margin. Labels grow
   * as the zoom shrinks (scaleLabels), which changes the box to fit: a few rounds settle it.
   */
  fit() {
    this.cy.resize();
    const mesh = this.cy.elements().not('.packet');
    const width = this.cy.width(), height = this.cy.height();
    for (let round = 0; round < 4 && mesh.nonempty(); round++) {
      const box = mesh.boundingBox({includeOverlays: false, includeUnderlays: false});
      const fits = Math.min((width - 2 * FIT_MARGIN) / box.w, (height - 2 * FIT_MARGIN) / box.h);
      if (!(fits > 0)) break; // a hidden pane or an empty box: nothing to fit yet
      const zoom = Math.max(this.cy.minZoom(), Math.min(MAX_FIT_ZOOM, fits));
      const settled = Math.abs(zoom - this.cy.zoom()) < 0.005 * zoom;
      this.cy.viewport({zoom, pan: {x: (width - zoom * (box.x1 + box.x2)) / 2, y: (height - zoom * (box.y1 + box.y2)) / 2}});
      if (settled) break;
    }
    this.userMoved = false;
    this.scaleLabels();
  }

  /** Dims everything but `ids` (node and edge ids) and their neighbourhood; null clears. */
  focus(ids) {
    this.cy.elements().removeClass('faded focus');
    if (!ids) return;
    let keep = this.cy.collection();
    for (const id of ids) {
      const el = this.cy.getElementById(id);
      if (el.empty()) continue;
      el.addClass('focus');
      keep = keep.union(el).union(el.isNode() ? el.closedNeighborhood() : el.connectedNodes());
    }
    this.cy.elements().not(keep).not('.packet').addClass('faded');
  }

  /** Animates a stanza crossing one link: a dot from `from` to `to`. */
  animateHop(from, to, kind, delay = 0, edgeId = null) {
    if (this.packets >= MAX_PACKETS || document.hidden) return;
    const a = this.cy.getElementById(from);
    const b = this.cy.getElementById(to);
    if (a.empty() || b.empty()) return;
    this.packets++;
    setTimeout(() => {
      const edge = edgeId ? this.cy.getElementById(edgeId) : null;
      if (edge && edge.nonempty()) edge.addClass('flash');
      const p = this.cy.add({group: 'nodes', data: {id: `pkt${++this.packetSeq}`}, classes: `packet ${kind || ''}`,
        position: {...a.position()}, grabbable: false, selectable: false});
      p.animate({position: {...b.position()}}, {
        duration: 520, easing: 'ease-in-out-sine',
        complete: () => {
          p.remove();
          this.packets--;
          if (edge && edge.nonempty()) edge.removeClass('flash');
        },
      });
    }, delay);
  }

  /** Animates a whole route, hop after hop; where it fans out, the copies travel at once. */
  animateRoute(route, kind) {
    const step = [];
    route.hops.forEach((hop, i) => {
      step[i] = hop.after !== null && hop.after !== undefined && hop.after < i ? step[hop.after] + 1 : 0;
      const edgeId = store.connToEdge.get(hop.connection);
      this.animateHop(hop.source, hop.target, kind, step[i] * 560, edgeId);
    });
  }
}

/**
 * What `make` returns, without Cytoscape's warnings while it runs: Cytoscape warns in the console
 * at every start about any wheel sensitivity set, and the graph's is set on purpose.
 */
function withoutWarnings(make) {
  cytoscape.warnings(false);
  try {
    return make();
  } finally {
    cytoscape.warnings(true);
  }
}

/**
 * How far apart (in graph units) the control points of neighbouring parallel edges are. A curve's
 * middle, where its label sits, bends half as far as its control point: neighbours' labels end up
 * half this apart, which is one label of `font` size plus a gap.
 */
function parallelStep(font) {
  const labelHeight = font * 1.25 + 2 * 2 + 2 * 2; // line, text-background-padding, cytoscape's margin
  return 2 * (labelHeight + 6);
}

/**
 * A compact label: servers by domain, clients by local part and resource (their server says the
 * rest). Drawn on a canvas, so invisible controls are shown as markers in the text itself.
 */
export function shortLabel(node) {
  const label = node.label || node.id;
  if (node.kind !== 'client') return reveal(label);
  const m = /^([^@/]+)@[^/]+(\/.*)?$/.exec(label);
  return reveal(truncateMiddle(m ? m[1] + (m[2] || '') : label, 28));
}
