// The Connections view: every stream with its route, TLS, identity, counts, state and close reason.
// Why a stream failed is what a reader opens this view for: it comes right after the state, in
// full, wrapped, never cut or scrolled out of view behind the counts.

import {$, h, clear, clock, isoTime, duration, bytes, truncate, truncateMiddle} from './dom.js';
import {store, sinceStart, kindInferred} from './store.js';

export class ConnectionsView {
  constructor({onSelect}) {
    this.onSelect = onSelect;
    this.tbody = $('connections-table').querySelector('tbody');
    this.selected = null;
    this.revealPending = false;
    this.renderTimer = null;
    this.stale = false; // changed while hidden: drawn when shown
  }

  /**
   * Draws the table now if it is shown, else once it is: a live capture updates each stream with
   * every batch of its stanzas, and rebuilding the rows of thousands of streams behind the mesh,
   * five times a second, kept the page busy (0.6 s a rebuild at 5,000 streams).
   */
  update() {
    if ($('connections-pane').hidden) {
      this.stale = true;
    } else {
      this.render();
    }
  }

  /** A stream changed: drawn in a moment, with whatever else changes meanwhile. */
  scheduleRender() {
    if (this.renderTimer) return;
    this.renderTimer = setTimeout(() => { this.renderTimer = null; this.update(); }, 200);
  }

  /** The view is shown: draws what changed while it was hidden. */
  shown() {
    if (this.stale) {
      this.stale = false;
      this.render();
    }
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
        h('td', null, h('span', {class: 'kind'}, c.kind), kindInferred(c)),
        h('td', null, h('span', {class: `state ${c.state}`}, c.state)),
        h('td', {class: 'why', title: c.closeDetail || null},
          c.error ? h('span', {class: 'state error'}, c.error)
            : c.warning ? h('span', {class: 'state warning'}, c.warning)
              : truncate(c.closeReason || '', 30)),
        h('td', {class: 'mono identity', title: identity}, identityText(truncateMiddle(identity, 34))),
        // "listen=upstream" may break after the "=", so the upstream's port is never cut off
        h('td', {class: 'mono route'}, routeText(c.route)),
        h('td', {class: 'tls'}, c.tls),
        // from the capture's start, as the timeline counts; the wall clock on hover
        h('td', {class: 'mono opened', title: `${clock(c.openedAt)}  (${isoTime(c.openedAt)})`},
          sinceStart(c.openedAt) ?? clock(c.openedAt)),
        h('td', {class: 'num'}, c.closedAt ? duration(c.closedAt - c.openedAt) : 'open'),
        h('td', {class: 'num'}, String(c.stanzaCount)),
        h('td', {class: 'num'}, bytes(c.bytesIn)),
        h('td', {class: 'num'}, bytes(c.bytesOut))));
    }
    this.revealSelected();
  }

  select(id) {
    this.selected = id;
    this.revealPending = id !== null; // a deep link may name a row far down, or one not loaded yet
    for (const tr of this.tbody.querySelectorAll('tr')) tr.classList.toggle('selected', Number(tr.dataset.id) === id);
    this.revealSelected();
  }

  /** Scrolls the selected row into the middle of the table, once, unless it is in view already (a row just clicked). */
  revealSelected() {
    const tr = this.revealPending && this.tbody.querySelector(`tr[data-id="${this.selected}"]`);
    if (!tr) return;
    this.revealPending = false;
    const wrap = this.tbody.closest('.table-wrap').getBoundingClientRect();
    const head = this.tbody.parentElement.querySelector('thead').getBoundingClientRect();
    const row = tr.getBoundingClientRect();
    if (row.top < head.bottom || row.bottom > wrap.bottom) tr.scrollIntoView({block: 'center'});
  }
}

/** A route, "127.0.0.12:5222=127.0.0.2:5222", allowed to wrap after its "=". */
function routeText(route) {
  const i = (route || '').indexOf('=');
  return i < 0 ? route || '' : [route.slice(0, i + 1), h('wbr'), route.slice(i + 1)];
}

/**
 * A JID or "from → to", allowed to wrap after its "@" and "→" and before its "/", where a reader
 * splits it: "alice@a.example/l" + "aptop" read as two words, "alice@" + "a.example/laptop" does not.
 */
function identityText(identity) {
  // the arrow stays with the name before it ("a.example →" / "b.example")
  return identity.replaceAll(' →', '\u00a0→').split(/(?<=[@→])|(?=\/)/).flatMap((part, i) => (i ? [h('wbr'), part] : [part]));
}
