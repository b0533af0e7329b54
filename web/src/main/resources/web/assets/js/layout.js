// Stable positions for the mesh: every node gets its place once, from the order it appeared,
// and keeps it. Servers sit on fixed slots; clients fan out on rings on the side of their server
// that faces away from the mesh; components (services) sit well beside it, where nothing else
// lies. How far apart all that is (the spread) is measured for the labels (spread.js) when the
// view is fitted: the mesh then grows or shrinks around its places, it is never re-laid out.
// The slots run along the pane's long side: beside the timeline the pane is tall, and a mesh laid
// out wide would fill its width and leave most of its height empty.

const DX = 270;  // distance of the first server slots from the centre along the long side
const DY = 300;  // and across it
// slots as (along, across) the long side
const SLOTS = [[-1, 0], [1, 0], [0, -1.15], [0, 1.15], [-2, -1.15], [2, -1.15], [-2, 1.15], [2, 1.15]];
const ARC = Math.PI * 4 / 3;  // clients use 240° facing outwards
// a mesh on the slots is about this much longer than it is wide; a pane more elongated than that
// spreads the slots further along its long side (up to MAX_STRETCH)
const MESH_ASPECT = 1.05;
const MAX_STRETCH = 1.8;
// a service sits this far from its server across the nearest direction taken by something else
// (graph units), outside the core of their clients' fan: the first few clients, straight behind
// their server, take this many radians either side of its outward direction
const COMPONENT_ACROSS = 170;
const CLIENT_CORE = Math.PI / 3;
// clients' first ring is this far from their server (graph units), each further ring RING_STEP further
const FIRST_RING = 125;
const RING_STEP = 38;
// a fan within about 20° of straight up or down (|cos| below this) is "above or below" its server
const VERTICAL = 0.35;

/**
 * How far apart things are placed (graph units), as `spread.js` measures them for the labels at a
 * `zoom` (0: not measured): `scale`
 * multiplies the servers' slots, `along` their distances along the pane's long side once more,
 * `rings` and `across` give a server's first ring of clients and a component's distance (see
 * componentOffset), `sides` the side of a component its label goes; what they leave out takes the
 * defaults here.
 */
export const DEFAULT_SPREAD = Object.freeze({zoom: 0, scale: 1, along: 1, rings: new Map(), ringStep: RING_STEP, across: new Map(),
  sides: new Map()});

export class StableLayout {
  /**
   * `paneSize` tells the pane's {width, height} (or null while it is hidden): asked once, when the
   * first server is placed, so every later position follows from the same orientation.
   */
  constructor(paneSize = () => null) {
    this.paneSize = paneSize;
    this.axes = null;             // {tall, stretch}, fixed by the first server
    this.spread = DEFAULT_SPREAD;
    this.servers = new Map();     // id → {x, y (at scale 1), index, outward, clients: [ids], components: [{id, angle, width, side}]}
    this.places = new Map();      // node id → {kind: 'server'|'client'|'component'|'orphan', server, k}
    this.orphans = 0;
  }

  /**
   * Where `node` ({id, kind, parent}) goes, and for a client or a service which side of it its
   * label goes (`labelSide`). Its place among the others is kept from the first time it is asked
   * (and again when its kind or server changes); where that is on the graph follows the spread.
   */
  position(node) {
    const kind = node.kind === 'server' || !node.parent ? (node.kind === 'server' ? 'server' : 'orphan') : node.kind;
    const place = this.places.get(node.id);
    if (!place || place.kind !== kind || (place.server || null) !== (kind === 'server' ? null : node.parent)) {
      this.places.set(node.id, this.newPlace(node.id, kind, node.parent));
    }
    return this.positionOf(node.id);
  }

  newPlace(id, kind, parent) {
    if (kind === 'server') {
      this.serverSlot(id);
      return {kind};
    }
    if (kind === 'orphan') return {kind, k: this.orphans++};
    const sp = this.serverSlot(parent);
    if (kind === 'component') return {kind, server: parent, k: this.newComponent(parent, sp, id)};
    if (kind === 'crowd') {
      this.outward(sp);
      sp.crowd = id;
      return {kind, server: parent};
    }
    this.outward(sp);
    sp.clients.push(id);
    return {kind: 'client', server: parent, k: sp.clients.length - 1};
  }

  /** Where the node placed as `id` is under `spread` (the layout's own by default), or null if it was never placed. */
  positionOf(id, spread = this.spread) {
    const place = this.places.get(id);
    if (!place) return null;
    if (place.kind === 'server') return {...this.slotAt(this.servers.get(id), spread), labelSide: 'below'};
    if (place.kind === 'orphan') return this.orphanPosition(place.k, spread.scale);
    const sp = this.servers.get(place.server);
    const at = this.slotAt(sp, spread);
    const p = place.kind === 'component' ? this.componentOffset(sp, place.k, spread)
      : place.kind === 'crowd' ? this.crowdOffset(sp, spread) : this.clientOffset(sp, place.k, spread);
    return {x: at.x + p.x, y: at.y + p.y, labelSide: p.labelSide};
  }

  /** The ids of the nodes placed. */
  placed() {
    return this.places.keys();
  }

  /** The ids of the nodes placed with no server. */
  orphanIds() {
    return [...this.places].filter(([, place]) => place.kind === 'orphan').map(([id]) => id);
  }

  /**
   * Each server's nodes: [{id, clients: [ids], components: [ids], crowd: id of its counted node or
   * undefined}], in the servers' order.
   */
  fans() {
    // a service first seen as a server keeps its slot, but is placed as its server's service
    return [...this.servers].filter(([id]) => this.places.get(id)?.kind === 'server')
      .map(([id, sp]) => ({id, clients: sp.clients, components: sp.components.map((c) => c.id), crowd: sp.crowd}));
  }

  serverSlot(id) {
    let p = this.servers.get(id);
    if (p) return p;
    const i = this.servers.size;
    let along, across;
    if (i < SLOTS.length) {
      [along, across] = SLOTS[i];
      across *= DY;
    } else {
      const k = i - SLOTS.length;
      along = (k % 5) - 2;
      across = (2.3 + Math.floor(k / 5)) * DY * (k % 2 ? 1 : -1);
    }
    const axes = this.orientation();
    p = {...this.onPane(along * DX * axes.stretch, across), along: along * DX * axes.stretch, across, id, index: i, clients: [],
      components: []};
    this.servers.set(id, p);
    return p;
  }

  /** Where a server's slot is under `spread` (its `x` and `y` are where it is under the default spread). */
  slotAt(sp, spread) {
    const p = this.onPane(sp.along * spread.along, sp.across);
    return {x: p.x * spread.scale, y: p.y * spread.scale};
  }

  /** Which of the pane's sides is the long one, and how far to spread the slots along it. */
  orientation() {
    if (this.axes) return this.axes;
    const size = this.paneSize();
    if (!size || !(size.width > 0) || !(size.height > 0)) return (this.axes = {tall: false, stretch: 1});
    const long = Math.max(size.width, size.height) / Math.min(size.width, size.height);
    this.axes = {tall: size.height > size.width, stretch: Math.min(MAX_STRETCH, Math.max(1, long / MESH_ASPECT))};
    return this.axes;
  }

  /** A point given along and across the pane's long side, in the graph's x and y. */
  onPane(along, across) {
    return this.orientation().tall ? {x: across, y: along} : {x: along, y: across};
  }

  /**
   * Which way is "outwards" for a server: away from the centre of the servers placed so far
   * (fixed per server once its first client is placed, so later servers move nothing).
   */
  outward(serverPos) {
    if (serverPos.outward !== undefined) return serverPos.outward;
    let cx = 0, cy = 0;
    for (const p of this.servers.values()) { cx += p.x; cy += p.y; }
    cx /= this.servers.size; cy /= this.servers.size;
    const dx = serverPos.x - cx, dy = serverPos.y - cy;
    serverPos.outward = Math.hypot(dx, dy) < 1 ? Math.atan2(serverPos.y, serverPos.x || -1) : Math.atan2(dy, dx);
    return serverPos.outward;
  }

  /** Where a server's `k`th client goes, from its server. */
  clientOffset(sp, k, spread) {
    // ring r holds 9 + 6r clients, each ring further out: far enough that the server's label stays
    // clear of the clients' own labels
    let ring = 0, first = 0;
    while (k >= first + 9 + 6 * ring) { first += 9 + 6 * ring; ring++; }
    const cap = 9 + 6 * ring;
    const j = k - first;
    const radius = firstRing(spread, sp) + spread.ringStep * ring;
    // fill from the middle of the arc outwards, so a few clients sit straight behind the server
    const order = j === 0 ? 0 : (j % 2 ? 1 : -1) * Math.ceil(j / 2);
    const step = ARC / cap;
    const angle = sp.outward + order * step + (ring % 2 ? step / 2 : 0);
    const straightBehind = order === 0 && ring % 2 === 0;
    return {x: radius * Math.cos(angle), y: radius * Math.sin(angle), labelSide: labelSide(angle, straightBehind)};
  }

  /** Where a server's clients drawn as one counted node go: straight behind it, amid the fan they will take. */
  crowdOffset(sp, spread) {
    const radius = firstRing(spread, sp);
    return {x: radius * Math.cos(sp.outward), y: radius * Math.sin(sp.outward), labelSide: labelSide(sp.outward, true)};
  }

  /**
   * A service (conference.b.example) federates on its own, mostly with its server's peers. A
   * stream's label sits at its middle, so the labels of b.example–a.example and
   * conference.b.example–a.example are half as far apart as b.example and its service: a service
   * close to its server had its labels on its server's. Services sit well away from their server,
   * in the middle of the widest angle left free by the directions to the other servers placed so
   * far, to the mesh's centre, to its own services placed before, and by its clients' fan, so
   * their streams diverge from its own. `id` is the service's own node id. Returns its index
   * among its server's services.
   */
  newComponent(parentId, sp, id) {
    const outward = this.outward(sp);
    // a service first seen as a server keeps its slot (no later server takes it), but is no peer
    const own = this.servers.get(id);
    const peers = [...this.servers.values()].filter((p) => p !== sp && p !== own);
    // the mesh's centre counts as taken too: the streams between the other servers cross there
    const taken = [outward + Math.PI, ...peers.map((p) => Math.atan2(p.y - sp.y, p.x - sp.x)), ...sp.components.map((c) => c.angle)];
    const gap = widestGap(taken, outward + CLIENT_CORE, outward - CLIENT_CORE + 2 * Math.PI);
    const p = {x: sp.x + COMPONENT_ACROSS * Math.cos(gap.middle), y: sp.y + COMPONENT_ACROSS * Math.sin(gap.middle)};
    // its label faces away from its own server too: spread for their labels, the two may be close
    sp.components.push({id, angle: gap.middle, width: gap.width, side: awayFrom(p, peers)});
    return sp.components.length - 1;
  }

  /** The side a service's label goes on when nothing is in its way (spread.js may choose another). */
  componentSide(id) {
    const place = this.places.get(id);
    return place?.kind === 'component' ? this.servers.get(place.server).components[place.k].side : null;
  }

  /** Where a server's `k`th service goes, from its server. */
  componentOffset(sp, k, spread) {
    const c = sp.components[k];
    // far enough that its streams' middles, where their labels sit, are two labels' height away
    // from those of the streams along the nearest taken direction (further than that when the gap
    // is narrow, within reason)
    const across = spread.across.get(c.id) || COMPONENT_ACROSS;
    const radius = Math.min(2 * across, across / Math.sin(Math.min(Math.PI / 2, c.width / 2)));
    return {x: radius * Math.cos(c.angle), y: radius * Math.sin(c.angle), labelSide: spread.sides?.get(c.id) || c.side};
  }

  orphanPosition(k, scale) {
    return {...this.onPane(((k % 12) - 5.5) * 60, (DY * 1.9 + Math.floor(k / 12) * 60) * scale), labelSide: 'below'};
  }
}

function firstRing(spread, sp) {
  return spread.rings.get(sp.id) || FIRST_RING;
}

/**
 * Where a client's label goes, seen from its server at `angle`: sideways, away from the server.
 * Neighbours on a fan above or below their server sit close side by side, and labels centred
 * under them ran into each other; beside them, one goes left and the other right. The client
 * `straightBehind` its server on such a fan has a neighbour a label's height lower on each side,
 * in the way of a label beside it: its own goes beyond it, above or below.
 */
function labelSide(angle, straightBehind) {
  if (straightBehind && Math.abs(Math.cos(angle)) < VERTICAL) return Math.sin(angle) < 0 ? 'above' : 'below';
  return Math.cos(angle) < 0 ? 'left' : 'right';
}

/**
 * The widest gap between the directions `taken`, going round from `from` to `to` (radians, `to`
 * past `from`): its `middle`, where something new is furthest from all of them, and its `width`.
 */
function widestGap(taken, from, to) {
  const turn = 2 * Math.PI;
  const inside = taken.map((a) => from + ((((a - from) % turn) + turn) % turn)).filter((a) => a < to);
  const edges = [from, ...inside.sort((a, b) => a - b), to];
  let best = 0;
  for (let i = 1; i < edges.length - 1; i++) if (edges[i + 1] - edges[i] > edges[best + 1] - edges[best]) best = i;
  return {middle: (edges[best] + edges[best + 1]) / 2, width: edges[best + 1] - edges[best]};
}

/**
 * Which side of a service at `p` its label goes: the one facing away from the servers it
 * federates with (`servers`), where its streams do not run.
 */
function awayFrom(p, servers) {
  let dx = 0, dy = 0;
  for (const q of servers) {
    const d = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    dx -= (q.x - p.x) / d;
    dy -= (q.y - p.y) / d;
  }
  if (Math.abs(dx) > Math.abs(dy)) return dx > 0 ? 'right' : 'left';
  return dy < 0 ? 'above' : 'below';
}
