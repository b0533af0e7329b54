// xmppscope's UI: wires the graph, the timeline, the inspector, the connections table and the
// replay controls to the API and the live socket, and maps URLs (/, /stanzas/REF,
// /connections, /connections/ID) to what is shown.

import {api} from './api.js';
import {$, setText, h, clear} from './dom.js';
import {GraphView} from './graph.js';
import {GraphKeys} from './graphkeys.js';
import {Timeline} from './timeline.js';
import {Inspector} from './inspector.js';
import {ConnectionsView} from './connections.js';
import {ReplayControls} from './replay.js';
import {DiffsView} from './diffs.js';
import {connectLive, describeAnalysis, describeConnected, describeFailure, describeRecording} from './live.js';
import {store, resetStore, putNode, putEdge, putConnection, removeNode, removeEdge, removeConnection, endpoints} from './store.js';
import {copyText, download, reveal} from './dom.js';

const graph = new GraphView($('graph'), {onSelect: selectInGraph});
new GraphKeys(graph, $('graph-said'));
const timeline = new Timeline({onSelect: (ref) => navigate(`/stanzas/${encodeURIComponent(ref)}`)});
const inspector = new Inspector({
  navigate,
  animateRoute: (route, kind) => graph.animateRoute(route, kind),
  showStream: (id) => { navigate('/'); narrowToStream(id); },
  filterTimeline: (fields, d) => timeline.filterBy(fields, d.ref, d.at),
});
const connections = new ConnectionsView({onSelect: (id) => navigate(`/connections/${id}`)});
let ready = false;
let graphShown = false;
let liveOpened = false;
let buffered = [];
// the versions of the graph and the connections loaded: a poll asks only for what changed since
const versions = {graph: 0, connections: 0, polling: false};

// ---- loading and live updates --------------------------------------------------------------

async function loadAll() {
  ready = false;
  resetStore();
  const [snapshot, conns] = await Promise.all([api.graph({changedSince: 0}), api.connections({changedSince: 0})]);
  versions.graph = snapshot.version;
  versions.connections = conns.version;
  for (const c of conns.items) putConnection(c);
  for (const n of snapshot.nodes) putNode(n);
  for (const e of snapshot.edges) putEdge(e);
  // a page opened on Connections places no mesh until it is shown: at 5,000 clients that took 3.8 s, at 50,000
  // 26 s, with the page frozen; and a mesh placed in a hidden pane was placed again for the pane's shape
  if (graphShown) graph.load(snapshot);
  updateCounts();
  connections.update();
  timeline.setGrowing((await capture).live);
  // a replay that went back (a seek, a new loop) may not have opened the stream the timeline was narrowed to yet
  if (timeline.conn !== null && !store.connections.has(timeline.conn)) {
    timeline.forgetStream();
    $('graph-selection').hidden = true;
  }
  await timeline.reload();
  ready = true;
  const pending = buffered;
  buffered = [];
  for (const m of pending) apply(m);
}

// loads everything and routes; what failed stays in the top bar until a load succeeds
function reload() {
  return loadAll().then(() => {
    describeFailure(null);
    $('graph-note').hidden = true;
    route();
  }).catch((e) => {
    describeFailure(`cannot load: ${e.message}`);
    // the panes would stay empty: they say why (the live analysis stopped, say)
    $('graph-note').textContent = `Could not load the graph: ${e.message}`;
    $('graph-note').hidden = false;
    timeline.showError(e);
  });
}

function onLive(msg) {
  if (msg.type === 'reset') {
    buffered = [];
    reload();
    return;
  }
  if (!ready) {
    buffered.push(msg);
    return;
  }
  apply(msg);
}

function apply(msg) {
  switch (msg.type) {
    case 'graph':
      if (msg.node) putNode(msg.node);
      if (msg.edge) putEdge(msg.edge);
      if (msg.edgeRemoved) removeEdge(msg.edgeRemoved);
      if (msg.nodeRemoved) removeNode(msg.nodeRemoved);
      if (graphShown) { // else it is placed from the store when first shown
        if (msg.node) graph.upsertNode(msg.node);
        if (msg.edge) graph.upsertEdge(msg.edge);
        if (msg.edgeRemoved) graph.remove(msg.edgeRemoved);
        if (msg.nodeRemoved) graph.remove(msg.nodeRemoved);
      }
      updateCounts();
      break;
    case 'connection':
      putConnection(msg.connection);
      connections.changed(msg.connection.id, msg.connection);
      break;
    case 'stanza': {
      const st = msg.stanza;
      if (st.kind === 'message' || st.kind === 'presence' || st.kind === 'iq') {
        const [from, to] = endpoints(st.connection, st.direction);
        graph.animateHop(from, to, st.kind, 0, store.connToEdge.get(st.connection));
      }
      timeline.onLiveStanza(st);
      break;
    }
    case 'step':
      if (inspector.current && inspector.current.connection === msg.step.connection) {
        inspector.showConnection(msg.step.connection);
      }
      break;
    default:
      break;
  }
}

function updateCounts() {
  let servers = 0, clients = 0, components = 0;
  for (const n of store.nodes.values()) {
    if (n.kind === 'server') servers++; else if (n.kind === 'component') components++; else clients++;
  }
  const s2s = [...store.edges.values()].filter((e) => e.kind === 's2s').length;
  const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
  $('graph-counts').textContent = [count(servers, 'server'), count(clients, 'client'),
    ...(components ? [count(components, 'component')] : []), `${s2s} s2s`].join(' · ');
}

// ---- graph selection narrows the timeline --------------------------------------------------

function selectInGraph(sel) {
  const chip = $('graph-selection');
  if (!sel || (!sel.node && !sel.edge)) {
    chip.hidden = true;
    graph.focus(null);
    timeline.narrow({});
    return;
  }
  chip.hidden = false;
  if (sel.node) {
    setText(chip, sel.node.label);
    graph.focus([sel.node.id]);
    timeline.narrow({jid: sel.node.kind === 'client' ? sel.node.label : sel.node.label});
  } else {
    const e = sel.edge;
    chip.textContent = `${e.kind} stream #${e.connections[0]}`;
    graph.focus([e.id]);
    timeline.narrow({conn: e.connections[0], label: `${e.kind} stream #${e.connections[0]}`});
  }
}

function narrowToStream(id) {
  const edgeId = store.connToEdge.get(id);
  graph.focus(edgeId ? [edgeId] : null);
  timeline.narrow({conn: id, label: `stream #${id}`});
}

// ---- URLs ----------------------------------------------------------------------------------

function navigate(path) {
  if (location.pathname !== path) history.pushState(null, '', path);
  route();
}

function route() {
  const path = location.pathname;
  const stanza = /^\/stanzas\/(.+)$/.exec(path);
  const conn = /^\/connections\/(\d+)$/.exec(path);
  const connView = path === '/connections' || !!conn;
  $('layout').className = `layout ${connView ? 'mode-connections' : 'mode-mesh'}`;
  $('graph-pane').hidden = connView;
  $('timeline-pane').hidden = connView;
  $('connections-pane').hidden = !connView;
  if (connView) connections.shown();
  $('nav-mesh').classList.toggle('active', !connView);
  $('nav-connections').classList.toggle('active', connView);
  if (stanza) {
    const ref = decodeURIComponent(stanza[1]);
    timeline.select(ref);
    inspector.showStanza(ref).then((d) => { if (d) timeline.reveal(d.ref, d.at); });
  } else if (conn) {
    const id = Number(conn[1]);
    connections.select(id);
    inspector.showConnection(id);
  } else {
    timeline.select(null);
    connections.select(null);
    inspector.showEmpty();
  }
  if (!connView) {
    requestAnimationFrame(() => {
      graph.cy.resize();
      if (!graphShown) { graphShown = true; graph.firstShown(); }
    });
  }
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);

// ---- buttons -------------------------------------------------------------------------------

$('graph-fit').addEventListener('click', () => graph.fit());
$('mermaid-close').addEventListener('click', () => $('mermaid-dialog').close());
$('mermaid-copy').addEventListener('click', () => copyText($('mermaid-text').value, 'Mermaid copied'));
$('mermaid-download').addEventListener('click', () => download('xmppscope-sequence.mmd', $('mermaid-text').value, 'text/plain'));

// for tests and the curious: the graph and the timeline from the browser console
window.xmppscope = Object.freeze({graph, timeline});

// ---- start ---------------------------------------------------------------------------------

// what is shown: whether it can be exported, and whether it grows (where the timeline opens)
const capture = api.capture().catch(() => ({exportable: false, live: true}));
capture.then((c) => {
  // the tab says which capture it shows, as the file opened is named: two tabs read apart
  if (c.name) document.title = `${reveal(c.name)} · xmppscope`;
  $('export-capture').hidden = !c.exportable;
  inspector.exportable = c.exportable;
  if (c.exportable && inspector.current?.connection !== undefined) inspector.showConnection(inspector.current.connection);
  if (!c.live) describeConnected('stored capture');
  showImportNotes(c.importNotes || []);
  if (c.analysis && !c.live) followAnalysis(c);
  else if (c.analysis) followRecording(c);
});

// what importing the capture left out (a pcap's TCP connections carrying no XMPP), as the import said it on its console
function showImportNotes(notes) {
  const el = $('import-notes');
  clear(el).append(...notes.map((n) => h('div', null, n)));
  el.hidden = notes.length === 0;
}

// a recording proxy: whether it still records (a full disk stops it) and whether its live
// analysis keeps up (it pauses under a flood), every 2 s
function followRecording(first) {
  const describe = (c) => {
    describeRecording(c.recording);
    describeAnalysis(c.analysis);
  };
  describe(first);
  setInterval(() => api.capture().then(describe).catch(() => {}), 2000);
}

// an opened capture analyzed while it is served: how far that has come, every 2 s, and what it
// found since (its events are not streamed: a large capture's million would swamp the browser);
// once it ends, the live socket's reset loads it whole
function followAnalysis(first) {
  describeAnalysis(first.analysis);
  const going = (a) => a?.state === 'importing' || a?.state === 'analyzing';
  if (!going(first.analysis)) return;
  const poll = setInterval(() => api.capture().then((c) => {
    describeAnalysis(c.analysis);
    showImportNotes(c.importNotes || []); // a capture file imported while the page was open
    if (c.analysis?.state === 'analyzing') showAnalyzedSoFar();
    if (!going(c.analysis)) clearInterval(poll);
  }).catch(() => {}), 2000);
}

// adds what the analysis found since the last poll, without redrawing what is shown: only what changed
// comes (all of it was megabytes a poll with tens of thousands of streams)
async function showAnalyzedSoFar() {
  if (!ready || versions.polling) return; // one poll at a time: an older answer applied last would undo a newer
  versions.polling = true;
  let changed, conns;
  try {
    [changed, conns] = await Promise.all([api.graph({changedSince: versions.graph}),
      api.connections({changedSince: versions.connections})]);
  } finally {
    versions.polling = false;
  }
  if (!ready) return; // a reset began meanwhile: it loads everything
  versions.graph = changed.version;
  versions.connections = conns.version;
  for (const id of changed.removedEdges) removeEdge(id);
  for (const id of changed.removedNodes) removeNode(id);
  for (const n of changed.nodes) putNode(n);
  for (const e of changed.edges) putEdge(e);
  if (graphShown) { // else it is placed from the store when first shown
    for (const id of [...changed.removedEdges, ...changed.removedNodes]) graph.remove(id);
    for (const n of changed.nodes) graph.upsertNode(n);
    for (const e of changed.edges) graph.upsertEdge(e);
  }
  for (const id of conns.removed) { removeConnection(id); connections.changed(id, null); }
  for (const c of conns.items) { putConnection(c); connections.changed(c.id, c); }
  updateCounts();
  timeline.grown();
}

// on a reconnect, reload: events may have been missed while the socket was down
connectLive(onLive, () => {
  if (liveOpened) reload();
  liveOpened = true;
});
reload();
new ReplayControls().start();
new DiffsView().start();
