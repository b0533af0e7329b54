// What the UI knows about the mesh right now: nodes, edges and connections, kept current by
// the live socket, plus who listens for changes.

import {elapsed, h} from './dom.js';

export const store = {
  nodes: new Map(),        // node id → GraphNode
  edges: new Map(),        // edge id → GraphEdge
  connections: new Map(),  // connection id → ConnectionView
  connToEdge: new Map(),   // connection id → edge id
  listeners: new Set(),
  sessions: null,          // sorted starts of the capture's sessions (nanos), worked out when asked for (see sessionStart)
};

// A capture database that several proxy runs recorded into, or imports of several days filled,
// holds sessions hours apart. Counted from the capture's first connection, today's rows read
// "+24:00:01.250". A session ends when no connection was open for this long (nanos).
export const SESSION_GAP = 30 * 60 * 1e9;

export function resetStore() {
  store.nodes.clear();
  store.edges.clear();
  store.connections.clear();
  store.connToEdge.clear();
  store.sessions = null;
}

export function putNode(node) {
  store.nodes.set(node.id, node);
}

export function putEdge(edge) {
  store.edges.set(edge.id, edge);
  for (const c of edge.connections || []) store.connToEdge.set(c, edge.id);
}

export function removeNode(id) {
  store.nodes.delete(id);
}

export function removeEdge(id) {
  const edge = store.edges.get(id);
  if (!edge) return;
  store.edges.delete(id);
  for (const c of edge.connections || []) if (store.connToEdge.get(c) === id) store.connToEdge.delete(c);
}

export function putConnection(conn) {
  const before = store.connections.get(conn.id);
  store.connections.set(conn.id, conn);
  // a live connection is updated with every batch of its stanzas; sessions change only as it opens or closes
  if (!before || before.openedAt !== conn.openedAt || before.closedAt !== conn.closedAt) store.sessions = null;
}

export function removeConnection(id) {
  if (store.connections.delete(id)) store.sessions = null;
}

/**
 * When the session that `at` (nanos) falls in began: the opening of its first connection, a
 * session being connections with no gap of SESSION_GAP or more while none was open. Null when no
 * connection opened by then is known.
 */
export function sessionStart(at) {
  if (!store.sessions) store.sessions = sessionStarts([...store.connections.values()]);
  let found = null;
  for (let lo = 0, hi = store.sessions.length - 1; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (store.sessions[mid] <= at) { found = store.sessions[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/**
 * When `at` (nanos) happened, as the timeline's rows and the replay's clock say it: from the start
 * of its session ("+9.37 s", "+1:25:03.120"), or from `fallback` when no connection opened by
 * then is known; null with neither.
 */
export function sinceStart(at, fallback = null) {
  const start = sessionStart(at);
  const from = start !== null ? start : fallback;
  return from === null ? null : elapsed(at - from);
}

function sessionStarts(connections) {
  const spans = connections.map((c) => [c.openedAt, c.closedAt || Infinity]).sort((a, b) => a[0] - b[0]);
  const starts = [];
  let end = -Infinity;
  for (const [opened, closed] of spans) {
    if (opened - end >= SESSION_GAP) starts.push(opened);
    end = Math.max(end, closed);
  }
  return starts;
}

/** The sender and receiver entities of an element on a connection: [sourceId, targetId]. */
export function endpoints(connectionId, direction) {
  const edgeId = store.connToEdge.get(connectionId);
  const edge = edgeId && store.edges.get(edgeId);
  let a, b;
  if (edge) {
    a = edge.source; b = edge.target;
  } else {
    a = `conn:${connectionId}:client`; b = `conn:${connectionId}:server`;
  }
  return direction === 'toClient' ? [b, a] : [a, b];
}

/** A readable name for a node id (including the stand-ins used before the analyzer knows a stream). */
export function nodeLabel(id) {
  const n = store.nodes.get(id);
  if (n) return n.label;
  const m = /^conn:(\d+):(client|server)$/.exec(id || '');
  if (m) {
    const c = store.connections.get(Number(m[1]));
    if (c) return m[2] === 'client' ? (c.client || `client of #${m[1]}`) : (c.server || `upstream of #${m[1]}`);
    return `${m[2]} of #${m[1]}`;
  }
  return id || '?';
}

export function nodeKind(id) {
  const n = store.nodes.get(id);
  if (n) return n.kind;
  return /:server$/.test(id || '') ? 'server' : 'client';
}

export function emit(event) {
  for (const l of store.listeners) l(event);
}

/** Beside a kind no stream header said (TLS not decrypted, a capture begun mid-stream): that it was inferred, and how on hover. */
export function kindInferred(c) {
  return c.kindInferred ? h('span', {class: 'muted inferred', title: `inferred: ${c.kindInferred}`}, ' inferred') : null;
}
