// The federation graph (cytoscape): servers big, their clients around them, streams as edges
// coloured by state and thickened by traffic. Updates arrive one node/edge at a time and never
// move what is already placed: only a fit spreads the mesh out or in for its labels, every node
// keeping its place among the others. Labels are drawn on the canvas, so wire text never becomes HTML.

import {Crowds, crowdId, FOLD_ABOVE} from './crowds.js';
import {drawnBox, LabelRoom, LINE, nodeBox, streamBox, textWidth} from './labelroom.js';
import {StableLayout} from './layout.js';
import {FIT_MARGIN, spreadFor} from './spread.js';
import {store} from './store.js';
import {reveal, truncateMiddle} from './dom.js';

const STATE_COLOURS = {negotiating: '#d49a1e', established: '#3d8b6a', encrypted: '#5c7fb0', closed: '#a3acb6',
  error: '#cf4338'};
const MAX_PACKETS = 40;
const MAX_FIT_ZOOM = 1.5; // a mesh of one or two nodes is not blown up to fill the pane
const WARNING_MARK = '⚠';
// labels keep these sizes on screen (px) at any zoom the fit picks, so a small pane shows them as
// readable as a large one; zoomed out beyond MIN_LABEL_ZOOM they shrink with the mesh
const LABEL_PX = {server: 13, client: 11, stream: 10.5, warning: 13};
const MIN_LABEL_ZOOM = 0.1;
// streams between the same two nodes bend apart as far as their labels are tall at this zoom at
// most: bending further as the zoom shrinks, they widened the mesh, which shrank the fitted zoom
const MIN_BEND_ZOOM = 0.4;
const SIDES = ['below', 'right', 'left', 'above']; // where a node's label may go
const CLIENT_SIZE = 14; // a client's diameter (graph units)

export class GraphView {
  constructor(container, {onSelect}) {
    this.container = container;
    this.layout = this.newLayout();
    this.onSelect = onSelect;
    this.packets = 0;
    this.packetSeq = 0;
    this.fitPending = null;
    this.crowds = new Crowds();
    this.crowded = new Set(); // servers whose clients' labels have no room: shown on hover only
    this.quiet = new Set();   // streams whose labels have no room: shown on hover only
    this.nameless = new Set(); // services whose names have no room: shown on hover only
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
    this.cy.on('tap', 'node, edge', (e) => {
      if (e.target.hasClass('packet')) return;
      // a finger does not hover: a tap shows a label left out for want of room
      if (byTouch(e)) this.revealLabel(e.target);
      this.activate(e.target);
    });
    // a label left out for want of room shows while its node or stream is pointed at
    this.cy.on('mouseover', 'node.crowded, edge.quiet', (e) => {
      this.sizeLabels(e.target);
      e.target.addClass('hovered');
    });
    this.cy.on('mouseout', 'node, edge', (e) => e.target.removeClass('hovered'));
    this.cy.on('tap', (e) => {
      if (e.target !== this.cy) return;
      this.revealLabel(null);
      this.onSelect(null);
    });
    // what went or may have gone wrong on a stream, on hover: the canvas has no tooltips of its own
    this.cy.on('mouseover', 'edge', (e) => {
      const edge = store.edges.get(e.target.id());
      const said = edge && [edge.error, edge.warning].filter(Boolean).map(reveal).join('\n');
      if (said) container.title = said;
    });
    this.cy.on('mouseout', 'edge', () => container.removeAttribute('title'));
    this.cy.on('zoom', () => {
      this.scaleLabels();
      if (!this.fitting) this.roomForLabels(true);
    });
    // only the reader's own gestures count: a fit moves the view too
    this.gestures = 0; // how many the reader has made
    this.cy.on('dragpan scrollzoom pinchzoom', () => {
      this.userMoved = true;
      this.gestures++;
    });
    // a pane that changes size (the window, the narrow layout) refits a view the reader has not framed
    new ResizeObserver(() => this.scheduleFit()).observe(container);
  }

  /** Does what a click on `el` does: narrows the timeline to a node or a stream, or draws the clients a counted node stands for. */
  activate(el) {
    if (el.data('kind') === 'crowd') this.unfold(el.isNode() ? el.data('server') : el.target().id());
    else if (el.isNode()) this.onSelect({type: 'node', node: store.nodes.get(el.id())});
    else this.onSelect({type: 'edge', edge: store.edges.get(el.id())});
  }

  /** Shows the label of `el` (a node or a stream) even if it has no room, as hovering does; null shows none. */
  revealLabel(el) {
    this.cy.elements('.revealed').removeClass('revealed');
    if (!el) return;
    this.sizeLabels(el);
    el.addClass('revealed');
  }

  /** Pans as little as brings `node` and its label into view, clear of the pane's bottom `bottomInset` px. */
  bringIntoView(node, bottomInset = 0) {
    const b = node.renderedBoundingBox({includeOverlays: false, includeUnderlays: false});
    const m = FIT_MARGIN / 3;
    const dx = b.x1 < m ? m - b.x1 : Math.min(0, this.cy.width() - m - b.x2);
    const dy = b.y1 < m ? m - b.y1 : Math.min(0, this.cy.height() - m - bottomInset - b.y2);
    if (dx || dy) this.cy.panBy({x: dx, y: dy});
  }

  newLayout() {
    return new StableLayout(() => ({width: this.container.clientWidth, height: this.container.clientHeight}));
  }

  /**
   * Keeps labels one size on screen: their font sizes (graph units) follow the zoom. Streams
   * between the same two nodes (one each way, say) bend apart by as much as their labels are tall,
   * so those labels never cover each other.
   */
  scaleLabels() {
    const z = Math.max(MIN_LABEL_ZOOM, this.cy.zoom());
    if (Math.abs(z / (this.labelZoom || 1e-9) - 1) < 0.01) return;
    this.labelZoom = z;
    const labelled = this.cy.nodes().not('.crowded').union(this.cy.edges('[kind = "s2s"], [?warned]'));
    this.sizeLabels(labelled);
    // Cytoscape keeps the box it last measured for each label, and draws the label into a texture
    // that size: measured before a font change (a fit measures the mesh, labels included, round
    // after round), a live mesh's labels showed clipped ("b.example" as ".exampl").
    labelled.dirtyBoundingBoxCache();
  }

  /**
   * Gives the labels of `eles` their font sizes at the zoom, each element its own: a stylesheet's
   * change restyled every element, and a zoom of 1,667 clients unfolded took 0.35 s, their labels
   * not even shown. A label left out (a crowded fan's) is sized when it shows (see hideLabels).
   */
  sizeLabels(eles) {
    const z = this.labelZoom || 1;
    this.cy.batch(() => {
      eles.nodes('[kind = "server"]').style('font-size', LABEL_PX.server / z);
      eles.nodes('[kind != "server"]').not('.packet').style('font-size', LABEL_PX.client / z);
      eles.edges('[kind = "s2s"]').style({'font-size': LABEL_PX.stream / z,
        'control-point-step-size': parallelStep(LABEL_PX.stream / Math.max(z, MIN_BEND_ZOOM))});
      eles.edges('[?warned][kind != "s2s"]').style('font-size', LABEL_PX.warning / z);
    });
  }

  /**
   * Gives labels room at this zoom, most telling first: servers', services' and warnings' always
   * show; then each server's clients' labels show if all of them have room (their count is under
   * the server's name); then each stream's count of stanzas, busiest first. `afresh` reconsiders
   * every label; else only those still shown, which a fit does round after round until no more
   * need hiding. True if any changed.
   */
  roomForLabels(afresh) {
    const kept = (hidden) => new Set(afresh ? [] : hidden);
    const fans = this.clientsByServer();
    this.countClients(fans);
    const room = new LabelRoom();
    room.take(this.cy.edges('[?warned]').map(drawnBox));
    // servers' names first: a service's name gives way to its server's
    const named = this.cy.nodes('[kind != "client"]').not('.packet');
    const nameless = kept(this.nameless);
    named.filter('[kind = "server"]').union(named).forEach((n) => {
      if (!nameless.has(n.id()) && !this.placeName(n, room, afresh)) nameless.add(n.id());
    });
    const crowded = kept(this.crowded);
    for (const [server, clients] of fans) {
      // hundreds of labels in one fan never have room at a zoom showing them all, and measuring them took seconds
      if (clients.length > FOLD_ABOVE) crowded.add(server);
      if (crowded.has(server)) continue;
      const boxes = clients.map((n) => nodeBox(n, LABEL_PX.client));
      if (room.fits(boxes)) room.take(boxes); else crowded.add(server);
    }
    const quiet = kept(this.quiet);
    const streams = this.cy.edges('[kind = "s2s"][!warned]').filter((e) => !quiet.has(e.id()));
    streams.boundingBox({useCache: false}); // lays out their curves: a fit has just changed how far they bend
    for (const e of streams.toArray().sort((e, f) => f.data('stanzas') - e.data('stanzas'))) {
      const box = [streamBox(e, e.data('label'), LABEL_PX.stream)];
      if (room.fits(box)) room.take(box); else quiet.add(e.id());
    }
    return this.hideLabels(crowded, quiet, nameless);
  }

  /**
   * Gives a server's or a service's name room: on the side the layout gave it if it has room
   * there, else on the first side that has (`afresh`; else where it is). A server's name shows
   * even without room; false if a service's has none.
   */
  placeName(node, room, afresh) {
    const server = node.data('kind') === 'server';
    const font = LABEL_PX[server ? 'server' : 'client'];
    const sides = afresh ? [node.data('home'), ...SIDES.filter((s) => s !== node.data('home'))] : [node.data('side')];
    const side = sides.find((s) => room.fits([nodeBox(node, font, s)]));
    if (!side && !server) return false;
    if (node.data('side') !== (side || sides[0])) node.data('side', side || sides[0]);
    room.take([nodeBox(node, font, side || sides[0])]);
    return true;
  }

  /** Each server's id → its clients drawn (nodes). */
  clientsByServer() {
    const fans = new Map();
    this.cy.nodes('[kind = "client"]').forEach((n) => {
      const server = n.data('server');
      if (fans.has(server)) fans.get(server).push(n); else fans.set(server, [n]);
    });
    return fans;
  }

  /** Writes under each server's name how many clients it has (`fans`: server id → its clients drawn). */
  countClients(fans) {
    const folded = new Map(this.crowds.counts().map(({server, count}) => [server, count]));
    this.cy.nodes('[kind = "server"]').forEach((server) => {
      const n = (fans.get(server.id()) || []).length + (folded.get(server.id()) || 0);
      const caption = n ? `${server.data('short')}\n${n} client${n === 1 ? '' : 's'}` : server.data('short');
      if (server.data('caption') !== caption) server.data('caption', caption);
    });
  }

  /**
   * Hides the labels of the clients of the servers in `crowded`, of the streams in `quiet` and of
   * the services `nameless`; true if that changed anything.
   */
  hideLabels(crowded, quiet, nameless) {
    if (sameSet(crowded, this.crowded) && sameSet(quiet, this.quiet) && sameSet(nameless, this.nameless)) return false;
    this.cy.batch(() => {
      this.cy.nodes('[kind = "client"]').forEach((n) => { n.toggleClass('crowded', crowded.has(n.data('server'))); });
      this.cy.nodes('[kind != "client"]').forEach((n) => { n.toggleClass('crowded', nameless.has(n.id())); });
      this.cy.edges('[kind = "s2s"]').forEach((e) => { e.toggleClass('quiet', quiet.has(e.id())); });
    });
    this.sizeLabels(this.cy.nodes().not('.crowded'));
    this.crowded = crowded;
    this.quiet = quiet;
    this.nameless = nameless;
    return true;
  }

  style() {
    return [
      {selector: 'node', style: {
        'label': 'data(caption)', 'text-wrap': 'wrap', 'font-size': 10, 'color': '#33404d', 'text-valign': 'bottom', 'text-margin-y': 4,
        'text-outline-color': '#f7f9fb', 'text-outline-width': 2, 'background-color': '#3d8b6a',
        'width': CLIENT_SIZE, 'height': CLIENT_SIZE, 'border-width': 0, 'min-zoomed-font-size': 6}},
      {selector: 'node[kind = "server"]', style: {
        'background-color': '#2563a6', 'width': 46, 'height': 46, 'font-size': 15, 'font-weight': 600,
        'color': '#1d2733', 'text-margin-y': 6, 'border-width': 4, 'border-color': '#cfe0f3', 'z-index': 5,
        'min-zoomed-font-size': 4}},
      {selector: 'node[side = "right"]', style: {'text-halign': 'right', 'text-valign': 'center', 'text-margin-x': 4, 'text-margin-y': 0}},
      {selector: 'node[side = "left"]', style: {'text-halign': 'left', 'text-valign': 'center', 'text-margin-x': -4, 'text-margin-y': 0}},
      {selector: 'node[side = "above"]', style: {'text-valign': 'top', 'text-margin-y': -4}},
      {selector: 'node[kind = "component"]', style: {
        'shape': 'diamond', 'background-color': '#8a5fb5', 'width': 20, 'height': 20}},
      {selector: 'node[kind = "crowd"]', style: {
        'background-color': '#3d8b6a', 'width': 30, 'height': 30, 'border-width': 3, 'border-color': '#d5eadf',
        'font-weight': 600}},
      {selector: 'node[?flagged]', style: {'border-width': 3, 'border-color': '#cf4338'}},
      {selector: 'edge', style: {
        'width': 'data(width)', 'line-color': 'data(colour)', 'curve-style': 'haystack', 'haystack-radius': 0,
        'opacity': 0.8}},
      {selector: 'edge[kind = "crowd"]', style: {'width': 4, 'line-color': '#3d8b6a', 'opacity': 0.5}},
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
      // labels with no room at this zoom (see roomForLabels), shown while pointed at
      {selector: 'node.crowded, edge.quiet', style: {'label': ''}},
      {selector: 'edge.hovered, edge.revealed', style: {'label': 'data(label)', 'z-index': 90}},
      {selector: 'node.hovered, node.revealed', style: {'label': 'data(caption)', 'z-index': 90, 'text-background-color': '#ffffff',
        'text-background-opacity': 0.9, 'text-background-padding': 2}},
      // the node the arrow keys reached
      {selector: 'node.keyed', style: {'overlay-color': '#2563a6', 'overlay-opacity': 0.3}},
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
    this.crowded = new Set();
    this.quiet = new Set();
    this.nameless = new Set();
    this.crowds.foldLarge(snapshot.nodes);
    this.cy.batch(() => {
      // servers first, so clients know where their server sits
      const nodes = [...snapshot.nodes].sort((a, b) => (a.kind === 'server' ? 0 : 1) - (b.kind === 'server' ? 0 : 1));
      for (const n of nodes) this.placeNode(n);
      for (const e of snapshot.edges) this.upsertEdge(e);
      this.drawCrowds();
    });
    this.fit();
  }

  /**
   * A node arrived live: placed, and while the picture is small, refitted to keep it whole (later
   * the reader's zoom wins, and only the labels are given room).
   */
  upsertNode(node) {
    if (this.crowds.absorbs(node)) this.scheduleCrowds();
    else if (this.placeNode(node)) this.scheduleFit(this.cy.nodes().length > 60);
  }

  /**
   * Adds a node where the layout puts it, or updates it; true if it is new. A load places every
   * node and fits once: asking after each one whether the picture was still small counted the
   * nodes each time, and a mesh of 5,000 clients took 1.8 s to count itself.
   */
  placeNode(node) {
    if (this.crowds.absorbs(node)) return false;
    const existing = this.cy.getElementById(node.id);
    const short = shortLabel(node);
    const data = {id: node.id, kind: node.kind, short, caption: short, server: node.parent || null, flagged: !!node.flags};
    if (existing.nonempty()) {
      const moved = existing.data('kind') !== node.kind || existing.data('server') !== data.server;
      existing.data(data);
      // a server found to be another's service (conference.b.example, once b.example shows up) goes beside it, and an
      // external component beside its server once the capture names the one at its address (it was beside a stand-in)
      if (moved) {
        const p = this.layout.position(node);
        existing.data({side: p.labelSide || 'below', home: p.labelSide || 'below'});
        existing.position({x: p.x, y: p.y});
        this.sizeLabels(existing);
      }
      return false;
    }
    const p = this.layout.position(node);
    const added = this.cy.add({group: 'nodes', data: {...data, side: p.labelSide || 'below', home: p.labelSide || 'below'},
      position: {x: p.x, y: p.y}, classes: this.crowded.has(node.parent) ? 'crowded' : ''});
    if (!added.hasClass('crowded')) this.sizeLabels(added);
    return true;
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
      stanzas: edge.stanzas,
      warned: !!edge.warning,
    };
    let existing = this.cy.getElementById(edge.id);
    if (existing.nonempty() && (existing.data('source') !== edge.source || existing.data('target') !== edge.target)) {
      existing.remove(); // re-attached to its real endpoints (a placeholder client got its JID)
      existing = this.cy.collection();
    }
    if (existing.nonempty()) existing.data(data);
    else existing = this.cy.add({group: 'edges', data});
    if (data.label) {
      this.sizeLabels(existing);
      this.scheduleFit(true); // its label, new or longer, needs room
    }
  }

  /** Removes a node (with its edges) or an edge. */
  remove(id) {
    if (this.crowds.release(id)) this.scheduleCrowds();
    else this.cy.getElementById(id).remove();
  }

  /** Draws each server's folded clients as one node with their count (and takes away those left empty). */
  drawCrowds() {
    for (const {id, server, count} of this.crowds.counts()) {
      const node = this.cy.getElementById(id);
      const label = `${count} clients · click to show`;
      if (!count) node.remove();
      else if (node.nonempty()) node.data({short: label, caption: label});
      else if (this.cy.getElementById(server).nonempty()) {
        const p = this.layout.position({id, kind: 'crowd', parent: server});
        this.sizeLabels(this.cy.add([
          {group: 'nodes', data: {id, kind: 'crowd', server, short: label, caption: label, side: p.labelSide, home: p.labelSide}, position: {x: p.x, y: p.y}},
          {group: 'edges', data: {id: `${id}:edge`, source: id, target: server, kind: 'crowd'}},
        ]));
      }
    }
  }

  /** Redraws the counted nodes once a burst of live arrivals and departures is over. */
  scheduleCrowds() {
    if (this.crowdsPending) return;
    this.crowdsPending = setTimeout(() => {
      this.crowdsPending = null;
      this.drawCrowds();
    }, 100);
  }

  /**
   * Draws a server's folded clients in their places, a slice at a time, then frames the mesh with
   * them unless the reader has panned or zoomed since the click.
   */
  unfold(server) {
    const crowd = this.cy.getElementById(crowdId(server));
    const gestures = this.gestures;
    this.crowded = new Set([...this.crowded, server]); // hundreds of labels: drawing them slowed every slice
    const edgesOf = new Map(); // client id → its edges
    for (const e of store.edges.values()) {
      for (const end of [e.source, e.target]) if (edgesOf.has(end)) edgesOf.get(end).push(e); else edgesOf.set(end, [e]);
    }
    this.crowds.unfold(server, (ids) => this.cy.batch(() => {
      crowd.remove();
      for (const id of ids) {
        const node = store.nodes.get(id);
        if (!node) continue;
        this.placeNode(node);
        for (const e of edgesOf.get(id) || []) this.upsertEdge(e);
      }
    }), () => { if (this.gestures === gestures) this.fit(); else this.roomForLabels(true); });
  }

  /**
   * Refits in a moment, unless the reader has panned or zoomed the view themselves or only
   * `labelsOnly` are asked for: then only the labels are given room again.
   */
  scheduleFit(labelsOnly = false) {
    this.fitWanted = this.fitWanted || !labelsOnly;
    if (this.fitPending) return; // a steady stream of updates must not put it off for ever
    this.fitPending = setTimeout(() => {
      const fit = this.fitWanted && !this.userMoved;
      this.fitPending = null;
      this.fitWanted = false;
      if (fit) this.fit(); else this.roomForLabels(true);
    }, 150);
  }

  /**
   * Shows the whole mesh, labels included, as large as the pane allows with a margin, and the
   * labels that have room at that zoom.
   */
  fit() {
    this.cy.resize();
    this.spreadForLabels();
    this.fitting = true;
    try {
      this.fitView();
      // the spread measured the mesh a little smaller than Cytoscape frames it: spread it for the zoom it got
      if (this.cy.zoom() < 0.97 * this.layout.spread.zoom && this.spreadForLabels(this.cy.zoom())) this.fitView();
      // labels left out make the mesh smaller, and a refit larger: it ends on the labels given room
      for (let round = 0; this.roomForLabels(round === 0) && round < 4; round++) this.fitView();
    } finally {
      this.fitting = false;
    }
    this.userMoved = false;
  }

  /**
   * Moves the nodes apart or together as far as their labels need in this pane (see spread.js),
   * fitted at `maxZoom` at most, each keeping its place among the others; false if the mesh is
   * too large to (it keeps its spread).
   */
  spreadForLabels(maxZoom = undefined) {
    this.countClients(this.clientsByServer()); // a server's label says how many clients it has: measured with them
    const spread = spreadFor(this.layout, (id) => this.labelSize(id), {width: this.cy.width(), height: this.cy.height()}, maxZoom);
    if (!spread) return false;
    this.layout.spread = spread;
    this.cy.batch(() => this.cy.nodes().not('.packet').forEach((n) => {
      const p = this.layout.positionOf(n.id());
      if (!p) return;
      n.position({x: p.x, y: p.y});
      if (n.data('home') !== p.labelSide) n.data({home: p.labelSide, side: p.labelSide});
    }));
    return true;
  }

  /** A node's label's text size on screen ({w, h} px) and its body's radius (`body`, graph units); null if it is not drawn. */
  labelSize(id) {
    const n = this.cy.getElementById(id);
    if (n.empty()) return null;
    const caption = String(n.data('caption') || '');
    const px = LABEL_PX[n.data('kind') === 'server' ? 'server' : 'client'];
    return {w: textWidth(caption, `${n.style('font-weight')} ${px}px ${n.style('font-family')}`),
      h: caption.split('\n').length * px * LINE, body: n.outerWidth() / 2};
  }

  /** Frames the mesh; its labels keep their size on screen, which changes the box to frame: a few rounds settle it. */
  fitView() {
    const width = this.cy.width(), height = this.cy.height();
    for (let round = 0; round < 4 && this.cy.elements().nonempty(); round++) {
      const box = this.meshBox();
      const fits = Math.min((width - 2 * FIT_MARGIN) / box.w, (height - 2 * FIT_MARGIN) / box.h);
      if (!(fits > 0)) break; // a hidden pane or an empty box: nothing to fit yet
      const zoom = Math.max(this.cy.minZoom(), Math.min(MAX_FIT_ZOOM, fits));
      const settled = Math.abs(zoom - this.cy.zoom()) < 0.005 * zoom;
      this.cy.viewport({zoom, pan: {x: (width - zoom * (box.x1 + box.x2)) / 2, y: (height - zoom * (box.y1 + box.y2)) / 2}});
      this.scaleLabels();
      if (settled) break;
    }
  }

  /**
   * The mesh's box, labels included. Cytoscape measures what has a label drawn; the clients of a fan
   * without their labels (a thousand of them and their streams took it 0.2 s) count by their bodies.
   */
  meshBox() {
    const bare = this.cy.nodes('.crowded[kind = "client"]');
    const box = this.cy.elements().not('.packet').not(bare).not('edge[kind = "c2s"]')
      .boundingBox({includeOverlays: false, includeUnderlays: false});
    const b = {x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2};
    const r = CLIENT_SIZE / 2; // asking each its size would work out the style of each, as a frame does
    bare.forEach((n) => {
      const p = n.position();
      b.x1 = Math.min(b.x1, p.x - r); b.y1 = Math.min(b.y1, p.y - r);
      b.x2 = Math.max(b.x2, p.x + r); b.y2 = Math.max(b.y2, p.y + r);
    });
    return {...b, w: b.x2 - b.x1, h: b.y2 - b.y1};
  }

  /** Dims everything but `ids` (node and edge ids) and their neighbourhood; null clears. */
  focus(ids) {
    this.cy.elements().removeClass('faded focus');
    if (!ids) return;
    let keep = this.cy.collection();
    for (const id of ids) {
      const el = this.cy.getElementById(this.crowds.standIn(id));
      if (el.empty()) continue;
      el.addClass('focus');
      keep = keep.union(el).union(el.isNode() ? el.closedNeighborhood() : el.connectedNodes());
    }
    this.cy.elements().not(keep).not('.packet').addClass('faded');
  }

  /** Animates a stanza crossing one link: a dot from `from` to `to`. */
  animateHop(from, to, kind, delay = 0, edgeId = null) {
    if (this.packets >= MAX_PACKETS || document.hidden) return;
    const a = this.cy.getElementById(this.crowds.standIn(from));
    const b = this.cy.getElementById(this.crowds.standIn(to));
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

/** Whether a Cytoscape event came from a finger (a touch event, or a pointer event of a touch). */
function byTouch(e) {
  const o = e.originalEvent;
  return !!o && (o.type.startsWith('touch') || o.pointerType === 'touch');
}

function sameSet(a, b) {
  return a.size === b.size && [...a].every((x) => b.has(x));
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
  return 2 * (labelHeight + 12);
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
