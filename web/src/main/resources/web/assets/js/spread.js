// How far apart the mesh is laid out, measured for its labels. Labels keep one size on screen, so
// the room they take in the graph depends on the zoom the view is fitted at, which depends on how
// far apart everything is: with fixed distances, a small pane fitted the mesh at a zoom where
// a.example's clients' labels ran into each other, and were left out. The spread is sought for the
// largest zoom (up to a comfortable one) at which every server's, service's and client's label has
// room once the mesh is fitted to the pane: each fan's first ring as near its server as its labels
// allow, each service beyond its server's fan (its label where its stream to its server does not
// run through it, if there is room for that), the servers as near as their fans allow with a
// stream's label between them; then the servers move apart to fill the pane. A fan whose labels
// have no room at any zoom gives way (most clients first), and shows its labels on hover as
// labelroom.js decides.

import {FOLD_ABOVE} from './crowds.js';
import {LabelRoom, LINE, MARGIN, OUTLINE, PAD} from './labelroom.js';
import {DEFAULT_SPREAD} from './layout.js';

const MIN_ZOOM = 0.2;    // below this the nodes are specks: a fan's labels give way instead
const MAX_ZOOM = 0.75;   // the nodes grow no bigger on screen than this zoom draws them
export const FIT_MARGIN = 24;   // px between the fitted mesh (labels included) and the pane's edges, as graph.js fits it
const MAX_NODES = 200;   // a larger mesh keeps its spread: hundreds of labels never all have room
const STREAM_PX = 10.5 * LINE + 2 * PAD + 2 * OUTLINE; // a stream's label's height on screen
const COMPONENT_STREAMS = 2; // a service is this many stream labels' height off its server's other streams
// how much further apart (or nearer) than the slots say the servers may be along the pane's long side:
// a short wide pane has room along it, not across
const ALONG = [0.6, 0.8, 1, 1.25, 1.6, 2];
const DOUBLINGS = 10;    // a distance is sought up to 2^10 times its least
const SIDES = ['right', 'left', 'below', 'above']; // where a service's label may go

/**
 * The spread that gives the labels room in a pane of `pane` {width, height} px at a zoom of
 * `maxZoom` or less, or null for a mesh too large or a pane not shown. `measure(id)` tells a
 * placed node's label ({w, h} of its text, px) and its body's radius (`body`, graph units); null
 * for a node not drawn.
 */
export function spreadFor(layout, measure, pane, maxZoom = MAX_ZOOM) {
  const fans = layout.fans();
  const count = fans.reduce((n, f) => n + 1 + f.clients.length + f.components.length, 0);
  if (count > MAX_NODES || !(pane.width > 2 * FIT_MARGIN) || !(pane.height > 2 * FIT_MARGIN)) return null;
  const mesh = new MeshAt(layout, measure, pane);
  const labelled = new Set(fans.filter((f) => f.clients.length && f.clients.length <= FOLD_ABOVE).map((f) => f.id));
  const max = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, maxZoom));
  for (;;) {
    // a service's label clear of its own stream gives way before clients' labels do
    for (const clear of [true, false]) {
      mesh.clearStreams = clear;
      const zoom = largestRoomyZoom((z) => mesh.roomy(z, labelled), max);
      if (zoom) return mesh.filling(zoom, labelled);
    }
    if (!labelled.size) return mesh.filling(MIN_ZOOM, labelled);
    const most = fans.filter((f) => labelled.has(f.id)).reduce((a, b) => (b.clients.length > a.clients.length ? b : a));
    labelled.delete(most.id);
  }
}

/** The largest zoom in [MIN_ZOOM, `max`] at which `roomy`, or null if none: what is roomy at a zoom is at any smaller one. */
function largestRoomyZoom(roomy, max) {
  if (roomy(max)) return max;
  if (!roomy(MIN_ZOOM)) return null;
  let lo = MIN_ZOOM, hi = max;
  while (hi / lo > 1.02) {
    const mid = Math.sqrt(lo * hi);
    if (roomy(mid)) lo = mid; else hi = mid;
  }
  return lo;
}

/** The mesh's nodes and labels as boxes in graph units, for a zoom the view would be fitted at. */
class MeshAt {
  constructor(layout, measure, pane) {
    this.layout = layout;
    this.pane = pane;
    this.fans = layout.fans();
    this.sizes = new Map();
    for (const id of layout.placed()) this.sizes.set(id, measure(id));
    this.clearStreams = true; // a service's label is kept clear of its stream to its server
  }

  /** Whether, fitted at `zoom`, the servers as near as their fans allow fit the pane at that zoom or larger. */
  roomy(zoom, labelled) {
    const spread = this.closest(zoom, labelled);
    return this.fittedZoom(spread, zoom) >= zoom;
  }

  /** The spread for `zoom` with the servers moved apart as far as the pane allows at that zoom. */
  filling(zoom, labelled) {
    const spread = this.closest(zoom, labelled);
    let lo = spread.scale, hi = spread.scale * 8;
    if (this.fittedZoom({...spread, scale: hi}, zoom) >= zoom) return {...spread, scale: hi};
    while (hi / lo > 1.01) {
      const mid = Math.sqrt(lo * hi);
      if (this.fittedZoom({...spread, scale: mid}, zoom) >= zoom) lo = mid; else hi = mid;
    }
    return {...spread, scale: lo};
  }

  /** Each fan as near its server, each service as near, and the servers as near each other as the labels allow at `zoom`. */
  closest(zoom, labelled) {
    const u = 1 / zoom;
    const spread = {scale: 1, along: 1, zoom, rings: new Map(),
      ringStep: Math.max(DEFAULT_SPREAD.ringStep, 1.2 * (11 * LINE + 2 * PAD) * u), across: new Map(), sides: new Map()};
    this.footprints = new Map();
    for (const fan of this.fans) this.footprints.set(fan.id, this.fanAt(fan, spread, u, labelled.has(fan.id)));
    let best = null;
    for (const along of ALONG) {
      const scale = nearest(0.05, (s) => this.apart({...spread, along, scale: s}, STREAM_PX * u));
      const fitted = this.fittedZoom({...spread, along, scale}, zoom);
      if (!best || fitted > best.fitted) best = {along, scale, fitted};
    }
    return {...spread, along: best.along, scale: best.scale};
  }

  /**
   * The footprint of a server, its clients (their labels if `labelled`), its counted node and its
   * services, with its fan's first ring and its services' distances set in `spread` as near as
   * they have room.
   */
  fanAt(fan, spread, u, labelled) {
    const footprint = new Footprint();
    footprint.take(this.boxes(fan.id, spread, u, true));
    if (labelled) {
      spread.rings.set(fan.id, nearest(MARGIN + this.body(fan.id) + this.body(fan.clients[0]),
        (r) => this.fits(footprint.room, fan.clients, {...spread, rings: new Map([[fan.id, r]])}, u)));
    }
    for (const id of fan.clients) footprint.take(this.boxes(id, spread, u, labelled));
    if (fan.crowd) footprint.take(this.boxes(fan.crowd, spread, u, true));
    for (const id of fan.components) this.placeComponent(id, fan.id, footprint, spread, u);
    return footprint;
  }

  /**
   * Sets in `spread` how far a service is from its server, and on which side its label goes: as
   * near as it has room in `footprint` (its server's), its label on the side facing away from its
   * peers, or (`clearStreams`) on the nearest side where its stream to its server does not run
   * through it. Then adds it to the footprint.
   */
  placeComponent(id, server, footprint, spread, u) {
    const home = this.layout.componentSide(id);
    const start = COMPONENT_STREAMS * STREAM_PX * u;
    const trial = (side, a) => ({...spread, across: new Map([[id, a]]), sides: new Map([[id, side]])});
    const nearestOn = (side, clear) => ({side, across: nearest(start, (a) => this.fits(footprint.room, [id], trial(side, a), u)
      && (!clear || this.clearOfOwnStream(id, server, trial(side, a), u)))});
    const best = !this.clearStreams ? nearestOn(home, false)
      : [home, ...SIDES.filter((s) => s !== home)].map((side) => nearestOn(side, true)).reduce((a, b) => (b.across < 0.8 * a.across ? b : a));
    spread.across.set(id, best.across);
    spread.sides.set(id, best.side);
    footprint.take(this.boxes(id, spread, u, true));
  }

  /** Whether a service's label placed by `spread` is clear of the straight line to its server. */
  clearOfOwnStream(id, server, spread, u) {
    const [, label] = this.boxes(id, spread, u, true);
    if (!label) return true;
    const p = this.layout.positionOf(id, spread), q = this.layout.positionOf(server, spread);
    for (let t = 0; t <= 1; t += 1 / 32) {
      const x = p.x + t * (q.x - p.x), y = p.y + t * (q.y - p.y);
      if (Math.abs(x - label.x) * 2 < label.w && Math.abs(y - label.y) * 2 < label.h) return false;
    }
    return true;
  }

  /**
   * Whether the nodes `ids` and their labels placed by `spread` are clear of `room`'s boxes and of
   * each other's (a node's label may touch its own body: the pad around the text does).
   */
  fits(room, ids, spread, u) {
    const own = new LabelRoom();
    return ids.every((id) => {
      const boxes = this.boxes(id, spread, u, true);
      if (boxes.some((b) => room.hits(b) || own.hits(b))) return false;
      own.take(boxes);
      return true;
    });
  }

  /** A node's body and its label's box (graph units, its server at its slot unscaled). */
  boxes(id, spread, u, labels) {
    const size = this.sizes.get(id);
    if (!size) return [];
    const p = this.layout.positionOf(id, spread);
    const body = {x: p.x, y: p.y, w: 2 * size.body, h: 2 * size.body, a: 0};
    if (!labels || !size.w) return [body];
    // as labelroom.js's nodeBox, in graph units
    const w = (size.w + 2 * PAD) * u + 2 * OUTLINE, h = (size.h + 2 * PAD) * u + 2 * OUTLINE;
    const r = size.body + MARGIN - (OUTLINE + PAD * u);
    const at = {right: [r + w / 2, 0], left: [-r - w / 2, 0], above: [0, -r - h / 2]}[p.labelSide] || [0, r + h / 2];
    return [body, {x: p.x + at[0], y: p.y + at[1], w, h, a: 0}];
  }

  body(id) {
    return (this.sizes.get(id) || {body: 0}).body;
  }

  /** Whether the servers' footprints placed by `spread` are `gap` or more apart. */
  apart(spread, gap) {
    const placed = this.fans.map((f) => [this.footprints.get(f.id), this.moved(f.id, spread)]);
    return placed.every(([one, at], i) => placed.slice(i + 1).every(([other, to]) =>
      one.clearOf(other, {x: to.x - at.x, y: to.y - at.y}, gap)));
  }

  /** How far `spread` moves a server from where its footprint was measured (its slot unscaled). */
  moved(server, spread) {
    const at = this.layout.positionOf(server, spread), home = this.layout.positionOf(server, {...spread, along: 1, scale: 1});
    return {x: at.x - home.x, y: at.y - home.y};
  }

  /** The zoom that fits the mesh placed by `spread` to the pane, its labels sized for `zoom`. */
  fittedZoom(spread, zoom) {
    const bounds = this.fans.map((f) => this.footprints.get(f.id).boundsMoved(this.moved(f.id, spread)));
    for (const id of this.layout.orphanIds()) bounds.push(...this.boxes(id, spread, 1 / zoom, true).map(boundsOf));
    if (!bounds.length) return Infinity;
    const x1 = Math.min(...bounds.map((b) => b.x1)), x2 = Math.max(...bounds.map((b) => b.x2));
    const y1 = Math.min(...bounds.map((b) => b.y1)), y2 = Math.max(...bounds.map((b) => b.y2));
    return Math.min((this.pane.width - 2 * FIT_MARGIN) / (x2 - x1), (this.pane.height - 2 * FIT_MARGIN) / (y2 - y1));
  }
}

/** The boxes a server and what is placed around it take, filed for looking up what they overlap. */
class Footprint {
  constructor() {
    this.boxes = [];
    this.room = new LabelRoom();
    this.bounds = {x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity};
  }

  take(boxes) {
    this.room.take(boxes);
    this.boxes.push(...boxes);
    for (const b of boxes.map(boundsOf)) {
      this.bounds = {x1: Math.min(this.bounds.x1, b.x1), y1: Math.min(this.bounds.y1, b.y1),
        x2: Math.max(this.bounds.x2, b.x2), y2: Math.max(this.bounds.y2, b.y2)};
    }
  }

  boundsMoved(by) {
    return {x1: this.bounds.x1 + by.x, y1: this.bounds.y1 + by.y, x2: this.bounds.x2 + by.x, y2: this.bounds.y2 + by.y};
  }

  /** Whether `other`, moved by `by` from this one, is `gap` or more clear of it. */
  clearOf(other, by, gap) {
    const b = other.boundsMoved(by);
    const apart = b.x1 - gap >= this.bounds.x2 || b.x2 + gap <= this.bounds.x1 || b.y1 - gap >= this.bounds.y2
      || b.y2 + gap <= this.bounds.y1;
    if (apart) return true;
    const near = (o) => Math.abs(o.x - (this.bounds.x1 + this.bounds.x2) / 2) * 2 < o.w + this.bounds.x2 - this.bounds.x1
      && Math.abs(o.y - (this.bounds.y1 + this.bounds.y2) / 2) * 2 < o.h + this.bounds.y2 - this.bounds.y1;
    return !other.boxes.map((o) => ({x: o.x + by.x, y: o.y + by.y, w: o.w + 2 * gap, h: o.h + 2 * gap, a: 0}))
      .some((o) => near(o) && this.room.hits(o));
  }
}

function boundsOf(b) {
  return {x1: b.x - b.w / 2, y1: b.y - b.h / 2, x2: b.x + b.w / 2, y2: b.y + b.h / 2};
}

/**
 * The nearest distance from `start` on (within a few percent) at which `fits`: doubled until it
 * fits, then halved back as far as it still does. The furthest tried if none fits.
 */
function nearest(start, fits) {
  if (fits(start)) return start;
  let lo = start, hi = 2 * start;
  for (let i = 0; i < DOUBLINGS && !fits(hi); i++) [lo, hi] = [hi, 2 * hi];
  while (hi / lo > 1.04) {
    const mid = Math.sqrt(lo * hi);
    if (fits(mid)) hi = mid; else lo = mid;
  }
  return hi;
}
