// The Connections view: every stream with its route, TLS, identity, counts, state and close reason.
// Why a stream failed is what a reader opens this view for: it comes right after the state, in
// full, wrapped, never cut or scrolled out of view behind the counts. Sorted by any column and
// filtered over all streams; only the rows in view are drawn (rowwindow.js), so thousands of
// streams open as fast as ten.

import {$, h, clock, isoTime, duration, bytes, truncate, truncateMiddle} from './dom.js';
import {store, sinceStart, kindInferred} from './store.js';
import {RowWindow} from './rowwindow.js';

/** What each column sorts by (its header's data-sort); ties go by stream number. */
const SORT_KEYS = {
  id: (c) => c.id,
  kind: (c) => c.kind || '',
  state: (c) => c.state || '',
  close: (c) => c.error || c.warning || c.closeReason || '',
  identity: (c) => identityOf(c),
  route: (c) => c.route || '',
  tls: (c) => c.tls || '',
  opened: (c) => c.openedAt,
  duration: (c) => (c.closedAt ? c.closedAt - c.openedAt : Infinity), // open ones last, as the longest
  stanzas: (c) => c.stanzaCount,
  in: (c) => c.bytesIn,
  out: (c) => c.bytesOut,
};

export class ConnectionsView {
  constructor({onSelect}) {
    this.onSelect = onSelect;
    this.table = $('connections-table');
    this.rows = new RowWindow(this.table.querySelector('tbody'), this.table.closest('.table-wrap'),
      {key: (c) => c.id, row: (c) => this.row(c)});
    this.selected = null;
    this.revealPending = false;
    this.renderTimer = null;
    this.stale = false; // changed while hidden: drawn when shown
    this.sort = {key: 'id', descending: false};
    this.filter = '';
    this.haystacks = new WeakMap(); // connection → its text in lower case, for the filter
    this.table.tHead.addEventListener('click', (e) => {
      const th = e.target.closest('th[data-sort]');
      if (th) this.sortBy(th.dataset.sort);
    });
    let typing = null;
    $('connections-filter').addEventListener('input', (e) => {
      clearTimeout(typing);
      typing = setTimeout(() => { this.filter = e.target.value.trim().toLowerCase(); this.render(); }, 150);
    });
    // ↑/↓ step from stream to stream in the order shown, the inspector following
    this.rows.scroller.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const shown = this.rows.items;
      const at = this.rows.indexOf(this.selected);
      const next = shown[at < 0 ? 0 : Math.max(0, Math.min(shown.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (!next) return;
      e.preventDefault();
      this.onSelect(next.id);
    });
  }

  /**
   * Draws the table now if it is shown, else once it is: a live capture updates each stream with
   * every batch of its stanzas, and there is no need to sort thousands of streams behind the mesh.
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

  /** Sorts by column `key`; by the same column again, the other way round. */
  sortBy(key) {
    this.sort = {key, descending: this.sort.key === key ? !this.sort.descending : false};
    for (const th of this.table.tHead.querySelectorAll('th[data-sort]')) {
      th.setAttribute('aria-sort', th.dataset.sort !== key ? 'none' : this.sort.descending ? 'descending' : 'ascending');
    }
    this.render();
  }

  /** Filters and sorts every stream, then draws the rows in view. */
  render() {
    const all = [...store.connections.values()];
    const shown = this.filter ? all.filter((c) => this.haystack(c).includes(this.filter)) : all;
    const value = SORT_KEYS[this.sort.key];
    const sign = this.sort.descending ? -1 : 1;
    shown.sort((a, b) => {
      const x = value(a), y = value(b);
      return sign * (x < y ? -1 : x > y ? 1 : a.id - b.id);
    });
    const count = (n) => `${n.toLocaleString('en-US')} stream${n === 1 ? '' : 's'}`;
    $('connections-count').textContent = shown.length === all.length ? count(all.length)
      : `${shown.length.toLocaleString('en-US')} of ${count(all.length)}`;
    this.rows.setItems(shown);
    this.revealSelected();
  }

  /** Everything the filter looks in: number, kind, state, why, identity, addresses, route, TLS. */
  haystack(c) {
    let text = this.haystacks.get(c);
    if (text === undefined) {
      text = [`#${c.id}`, c.kind, c.state, c.error, c.warning, c.closeReason, c.closeDetail, c.jid, c.claimedJid, c.streamFrom,
        c.streamTo, c.client, c.server, c.route, c.tls].filter(Boolean).join('\n').toLowerCase();
      this.haystacks.set(c, text);
    }
    return text;
  }

  row(c) {
    const identity = identityOf(c);
    return h('tr', {'data-id': c.id, class: c.id === this.selected ? 'selected' : null,
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
      h('td', {class: 'num'}, bytes(c.bytesOut)));
  }

  select(id) {
    this.selected = id;
    this.revealPending = id !== null; // a deep link may name a row far down, or one not loaded yet
    for (const tr of this.rows.tbody.querySelectorAll('tr[data-id]')) tr.classList.toggle('selected', Number(tr.dataset.id) === id);
    this.revealSelected();
  }

  /** Scrolls the selected row into the middle of the table, once, unless it is in view already (a row just clicked). */
  revealSelected() {
    const at = this.revealPending ? this.rows.indexOf(this.selected) : -1;
    if (at < 0 || $('connections-pane').hidden) return;
    this.revealPending = false;
    this.rows.reveal(at);
  }
}

/** A bound JID, else the JID a client claims (its login; no bind seen), else the stream header's "from → to". */
function identityOf(c) {
  return c.jid || (c.claimedJid && `${c.claimedJid} (claimed)`) || [c.streamFrom, c.streamTo].filter(Boolean).join(' → ') || '';
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
