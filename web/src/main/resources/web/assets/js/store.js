// What the UI knows about the mesh right now: nodes, edges and connections, kept current by
// the live socket, plus who listens for changes.

export const store = {
  nodes: new Map(),        // node id → GraphNode
  edges: new Map(),        // edge id → GraphEdge
  connections: new Map(),  // connection id → ConnectionView
  connToEdge: new Map(),   // connection id → edge id
  listeners: new Set(),
  started: null,           // when the first connection known opened (nanos): the timeline's clock counts from it
};

export function resetStore() {
  store.nodes.clear();
  store.edges.clear();
  store.connections.clear();
  store.connToEdge.clear();
  store.started = null;
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
  store.connections.set(conn.id, conn);
  if (store.started === null || conn.openedAt < store.started) store.started = conn.openedAt;
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
