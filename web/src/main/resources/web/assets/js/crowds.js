// A server with hundreds of clients has them drawn as one counted node until the reader clicks it:
// drawing 5,000 clients at once froze the page for seconds, and so many dots say no more than
// their number. A click unfolds them a few at a time, so the page keeps answering meanwhile.

export const FOLD_ABOVE = 150;  // a server with more clients than this at the first load has them folded
const SLICE = 10;               // clients drawn at a time while unfolding
// each task draws slices for this long (ms), then lets the page answer and draw a frame: the frame
// takes a few ms for each client new in it, and 150 clients a task took 0.2-0.8 s on two busy cores
const TASK_MS = 8;

export class Crowds {
  constructor() {
    this.folded = new Map(); // server id → Set of the ids of its clients not drawn
  }

  /** Folds the clients of every server with more than FOLD_ABOVE of them among `nodes`. */
  foldLarge(nodes) {
    this.folded.clear();
    const counts = new Map();
    for (const n of nodes) if (n.kind === 'client' && n.parent) counts.set(n.parent, (counts.get(n.parent) || 0) + 1);
    for (const [server, count] of counts) if (count > FOLD_ABOVE) this.folded.set(server, new Set());
  }

  /** Whether the client `node` goes into its server's counted node rather than being drawn: then it is kept there. */
  absorbs(node) {
    const hidden = node.kind === 'client' && this.folded.get(node.parent);
    if (hidden) hidden.add(node.id);
    return !!hidden;
  }

  /** Forgets a client that left; true if it was folded (not drawn). */
  release(id) {
    for (const hidden of this.folded.values()) if (hidden.delete(id)) return true;
    return false;
  }

  /** The counted node standing for `id`'s server if `id` is a folded client, else `id`. */
  standIn(id) {
    for (const [server, hidden] of this.folded) if (hidden.has(id)) return crowdId(server);
    return id;
  }

  /** The counted nodes' ids and how many clients each stands for. */
  counts() {
    return [...this.folded].map(([server, hidden]) => ({id: crowdId(server), server, count: hidden.size}));
  }

  /**
   * Stops folding `server`'s clients and hands them to `draw` a slice at a time (a list of ids
   * each time), a few slices a task, then calls `done`.
   */
  unfold(server, draw, done) {
    const ids = [...(this.folded.get(server) || [])];
    this.folded.delete(server);
    let from = 0;
    const next = () => {
      const until = performance.now() + TASK_MS;
      do {
        draw(ids.slice(from, from + SLICE));
        from += SLICE;
      } while (from < ids.length && performance.now() < until);
      if (from < ids.length) setTimeout(next, 0);
      else done();
    };
    next();
  }
}

export function crowdId(server) {
  return `crowd:${server}`;
}
