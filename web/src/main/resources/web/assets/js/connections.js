// The Connections view: every stream with its route, TLS, identity, counts, state and close reason.

import {$, h, clear, clock, isoTime, duration, bytes, truncate, truncateMiddle} from './dom.js';
import {store, sinceStart} from './store.js';

export class ConnectionsView {
  constructor({onSelect}) {
    this.onSelect = onSelect;
    this.tbody = $('connections-table').querySelector('tbody');
    this.selected = null;
    this.renderTimer = null;
  }

  scheduleRender() {
    if (this.renderTimer) return;
    this.renderTimer = setTimeout(() => { this.renderTimer = null; this.render(); }, 200);
  }

  render() {
    const rows = [...store.connections.values()].sort((a, b) => a.id - b.id);
    $('connections-count').textContent = `${rows.length} stream${rows.length === 1 ? '' : 's'}`;
    clear(this.tbody);
    for (const c of rows) {
      const identity = c.jid || [c.streamFrom, c.streamTo].filter(Boolean).join(' → ') || '';
      this.tbody.appendChild(h('tr', {'data-id': c.id, class: c.id === this.selected ? 'selected' : null,
        onclick: () => this.onSelect(c.id)},
        h('td', {class: 'num'}, `#${c.id}`),
        h('td', null, h('span', {class: 'kind'}, c.kind)),
        h('td', null, h('span', {class: `state ${c.state}`}, c.state)),
        h('td', {class: 'mono', title: identity}, truncateMiddle(identity, 34)),
        h('td', {class: 'mono', title: c.route}, truncate(c.route, 30)),
        h('td', null, c.tls),
        // from the capture's start, as the timeline counts; the wall clock on hover
        h('td', {class: 'mono opened', title: `${clock(c.openedAt)}  (${isoTime(c.openedAt)})`},
          sinceStart(c.openedAt) ?? clock(c.openedAt)),
        h('td', {class: 'num'}, c.closedAt ? duration(c.closedAt - c.openedAt) : 'open'),
        h('td', {class: 'num'}, String(c.stanzaCount)),
        h('td', {class: 'num'}, bytes(c.bytesIn)),
        h('td', {class: 'num'}, bytes(c.bytesOut)),
        h('td', {title: c.error || c.warning || c.closeDetail || ''},
          c.error ? h('span', {class: 'state error'}, truncate(c.error, 40))
            : c.warning ? h('span', {class: 'state warning'}, truncate(c.warning, 40))
              : truncate(c.closeReason || '', 30))));
    }
  }

  select(id) {
    this.selected = id;
    for (const tr of this.tbody.querySelectorAll('tr')) tr.classList.toggle('selected', Number(tr.dataset.id) === id);
  }
}
