// Stable positions for the mesh: every node gets its place once, from the order it appeared,
// and keeps it. Servers sit on fixed slots; clients fan out on rings on the side of their server
// that faces away from the mesh; components (services) sit well beside it, where nothing else
// lies. Nothing is re-laid out.
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

export class StableLayout {
  /**
   * `paneSize` tells the pane's {width, height} (or null while it is hidden): asked once, when the
   * first server is placed, so every later position follows from the same orientation.
   */
  constructor(paneSize = () => null) {
    this.paneSize = paneSize;
    this.axes = null;             // {tall, stretch}, fixed by the first server
    this.servers = new Map();     // id → {x, y, index}
    this.children = new Map();    // server id → count of clients placed
    this.components = new Map();  // server id → count of components placed
    this.orphans = 0;
  }

  serverPosition(id) {
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
    p = {...this.onPane(along * DX * axes.stretch, across), index: i};
    this.servers.set(id, p);
    return p;
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

  clientPosition(parentId) {
    if (!parentId) return this.orphanPosition();
    const sp = this.serverPosition(parentId);
    const k = this.children.get(parentId) || 0;
    this.children.set(parentId, k + 1);
    // ring r holds 9 + 6r clients at radius FIRST_RING + RING_STEP r: far enough that the server's label, which grows as
    // the view zooms out, stays clear of the clients' own labels
    let ring = 0, first = 0;
    while (k >= first + 9 + 6 * ring) { first += 9 + 6 * ring; ring++; }
    const cap = 9 + 6 * ring;
    const j = k - first;
    const radius = FIRST_RING + RING_STEP * ring;
    // fill from the middle of the arc outwards, so a few clients sit straight behind the server
    const order = j === 0 ? 0 : (j % 2 ? 1 : -1) * Math.ceil(j / 2);
    const step = ARC / cap;
    const angle = this.outward(sp) + order * step + (ring % 2 ? step / 2 : 0);
    const straightBehind = order === 0 && ring % 2 === 0;
    return {x: sp.x + radius * Math.cos(angle), y: sp.y + radius * Math.sin(angle), labelSide: labelSide(angle, straightBehind)};
  }

  /** Where a server's clients drawn as one counted node go: straight behind it, amid the fan they will take. */
  crowdPosition(parentId) {
    const sp = this.serverPosition(parentId);
    const angle = this.outward(sp);
    return {x: sp.x + FIRST_RING * Math.cos(angle), y: sp.y + FIRST_RING * Math.sin(angle), labelSide: labelSide(angle, true)};
  }

  /**
   * A service (conference.b.example) federates on its own, mostly with its server's peers. A
   * stream's label sits at its middle, so the labels of b.example–a.example and
   * conference.b.example–a.example are half as far apart as b.example and its service: a service
   * close to its server had its labels on its server's. Services sit well away from their server,
   * in the middle of the widest angle left free by the directions to the other servers placed so
   * far, to the mesh's centre, to its own services placed before, and by its clients' fan, so
   * their streams diverge from its own. `id` is the service's own node id.
   */
  componentPosition(parentId, id = null) {
    if (!parentId) return this.orphanPosition();
    const sp = this.serverPosition(parentId);
    const k = this.components.get(parentId) || 0;
    this.components.set(parentId, k + 1);
    const outward = this.outward(sp);
    // a service first seen as a server keeps its slot (no later server takes it), but is no peer
    const own = this.servers.get(id);
    const peers = [...this.servers.values()].filter((p) => p !== sp && p !== own);
    // the mesh's centre counts as taken too: the streams between the other servers cross there
    const taken = [outward + Math.PI, ...peers.map((p) => Math.atan2(p.y - sp.y, p.x - sp.x)), ...(sp.componentAngles || [])];
    const gap = widestGap(taken, outward + CLIENT_CORE, outward - CLIENT_CORE + 2 * Math.PI);
    const angle = gap.middle;
    sp.componentAngles = [...(sp.componentAngles || []), angle];
    // far enough that its streams' middles, where their labels sit, are two labels' height away
    // from those of the streams along the nearest taken direction (further than that when the gap
    // is narrow, within reason)
    const radius = Math.min(2 * COMPONENT_ACROSS, COMPONENT_ACROSS / Math.sin(Math.min(Math.PI / 2, gap.width / 2)));
    const p = {x: sp.x + radius * Math.cos(angle), y: sp.y + radius * Math.sin(angle)};
    return {...p, labelSide: awayFrom(p, peers)};
  }

  orphanPosition() {
    const k = this.orphans++;
    return this.onPane(((k % 12) - 5.5) * 60, DY * 1.9 + Math.floor(k / 12) * 60);
  }
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
 * federates with, where its streams do not run.
 */
function awayFrom(p, peers) {
  let dx = 0, dy = 0;
  for (const q of peers) {
    const d = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    dx -= (q.x - p.x) / d;
    dy -= (q.y - p.y) / d;
  }
  if (Math.abs(dx) > Math.abs(dy)) return dx > 0 ? 'right' : 'left';
  return dy < 0 ? 'above' : 'below';
}
