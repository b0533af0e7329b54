// Stable positions for the mesh: every node gets its place once, from the order it appeared,
// and keeps it. Servers sit on fixed slots; clients fan out on rings on the side of their server
// that faces away from the mesh; components sit on the inner side. Nothing is re-laid out.

const DX = 270;  // horizontal distance of the first server slots from the centre
const DY = 300;
const SLOTS = [[-1, 0], [1, 0], [0, -1.15], [0, 1.15], [-2, -1.15], [2, -1.15], [-2, 1.15], [2, 1.15]];
const ARC = Math.PI * 4 / 3;  // clients use 240° facing outwards

export class StableLayout {
  constructor() {
    this.servers = new Map();     // id → {x, y, index}
    this.children = new Map();    // server id → count of clients placed
    this.components = new Map();  // server id → count of components placed
    this.orphans = 0;
  }

  serverPosition(id) {
    let p = this.servers.get(id);
    if (p) return p;
    const i = this.servers.size;
    let x, y;
    if (i < SLOTS.length) {
      [x, y] = SLOTS[i];
      x *= DX; y *= DY;
    } else {
      const k = i - SLOTS.length;
      x = ((k % 5) - 2) * DX;
      y = (2.3 + Math.floor(k / 5)) * DY * (k % 2 ? 1 : -1);
    }
    p = {x, y, index: i};
    this.servers.set(id, p);
    return p;
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
    // ring r holds 9 + 6r clients at radius 125 + 38r: far enough that the server's label, which grows as
    // the view zooms out, stays clear of the clients' own labels
    let ring = 0, first = 0;
    while (k >= first + 9 + 6 * ring) { first += 9 + 6 * ring; ring++; }
    const cap = 9 + 6 * ring;
    const j = k - first;
    const radius = 125 + 38 * ring;
    // fill from the middle of the arc outwards, so a few clients sit straight behind the server
    const order = j === 0 ? 0 : (j % 2 ? 1 : -1) * Math.ceil(j / 2);
    const step = ARC / cap;
    const angle = this.outward(sp) + order * step + (ring % 2 ? step / 2 : 0);
    return {x: sp.x + radius * Math.cos(angle), y: sp.y + radius * Math.sin(angle)};
  }

  componentPosition(parentId) {
    if (!parentId) return this.orphanPosition();
    const sp = this.serverPosition(parentId);
    const k = this.components.get(parentId) || 0;
    this.components.set(parentId, k + 1);
    const side = k % 2 ? 1 : -1;
    const angle = this.outward(sp) + Math.PI + side * (0.85 + 0.3 * Math.floor(k / 2));
    const radius = 85;
    return {x: sp.x + radius * Math.cos(angle), y: sp.y + radius * Math.sin(angle)};
  }

  orphanPosition() {
    const k = this.orphans++;
    return {x: ((k % 12) - 5.5) * 60, y: DY * 1.9 + Math.floor(k / 12) * 60};
  }
}
