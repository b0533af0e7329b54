// The graph from the keyboard: the canvas has no elements to tab to, so the graph's pane is one tab
// stop and the arrow keys go from node to node (servers in their order, each followed by its
// services and clients). The node reached is ringed, its label shown even where it had no room,
// and named with a few words in a live region that screen readers announce. Enter does what a
// click does.

import {store} from './store.js';
import {reveal} from './dom.js';

const NEXT = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};

export class GraphKeys {
  /** `graph` is the GraphView, `said` the live region that names the node reached. */
  constructor(graph, said) {
    this.graph = graph;
    this.said = said;
    this.id = null; // the node reached
    graph.container.addEventListener('keydown', (e) => this.onKey(e));
    graph.container.addEventListener('blur', () => this.leave());
  }

  onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const order = this.order();
    if (!order.length) return;
    const at = order.indexOf(this.id);
    let to = null;
    if (e.key in NEXT) to = at < 0 ? (NEXT[e.key] > 0 ? 0 : order.length - 1) : (at + NEXT[e.key] + order.length) % order.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = order.length - 1;
    else if ((e.key === 'Enter' || e.key === ' ') && at >= 0) this.graph.activate(this.graph.cy.getElementById(this.id));
    else if (e.key === 'Escape') this.leave();
    else return;
    e.preventDefault();
    if (to !== null) this.reach(this.graph.cy.getElementById(order[to]));
  }

  /** The ids of the nodes drawn, in the order the keys go through them. */
  order() {
    const layout = this.graph.layout;
    const ids = [];
    for (const fan of layout.fans()) ids.push(fan.id, ...fan.components, ...(fan.crowd ? [fan.crowd] : []), ...fan.clients);
    ids.push(...layout.orphanIds());
    const cy = this.graph.cy;
    return [...new Set(ids)].filter((id) => cy.getElementById(id).nonempty());
  }

  /** Rings `node`, shows its label, brings it into view and names it. */
  reach(node) {
    this.graph.cy.nodes('.keyed').removeClass('keyed');
    this.id = node.id();
    node.style('overlay-padding', 8 / this.graph.cy.zoom()).addClass('keyed'); // a ring 8 px wide at any zoom
    this.graph.revealLabel(node);
    this.said.textContent = describe(node);
    this.graph.bringIntoView(node, this.said.offsetHeight + 8); // the live region lies over the pane's foot
  }

  /** Forgets the node reached: the pane lost the keyboard, or Escape. */
  leave() {
    if (!this.id) return;
    this.graph.cy.nodes('.keyed').removeClass('keyed');
    this.graph.revealLabel(null);
    this.id = null;
    this.said.textContent = '';
  }
}

/** A few words naming a node and what it is ("alice@a.example/laptop: client of a.example, 2 streams"). */
export function describe(node) {
  const data = node.data();
  const known = store.nodes.get(data.id);
  const name = reveal((known && known.label) || data.short || data.id);
  const server = data.server && node.cy().getElementById(data.server);
  const serverName = server && server.nonempty() ? server.data('short') : '';
  const streams = node.connectedEdges('[kind = "c2s"], [kind = "s2s"]').length;
  const counted = `${streams} stream${streams === 1 ? '' : 's'}`;
  switch (data.kind) {
    case 'server': return `${name}: server, ${String(data.caption || '').split('\n')[1] || 'no clients'}, ${counted}`;
    case 'component': return `${name}: service${serverName ? ` of ${serverName}` : ''}, ${counted}`;
    case 'crowd': return `${data.short.split(' · ')[0]} of ${serverName}, drawn as one node: Enter shows them`;
    default: return `${name}: client${serverName ? ` of ${serverName}` : ''}, ${counted}`;
  }
}
