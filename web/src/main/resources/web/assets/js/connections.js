// The Connections view: every stream with its route, TLS, identity, counts, state and close reason.
// Why a stream failed is what a reader opens this view for: it comes right after the state, in
// full, wrapped, never cut or scrolled out of view behind the counts. Sorted by any column and
// filtered over all streams; only the rows in view are drawn (rowwindow.js), so thousands of
// streams open as fast as ten.

import {$, h, clock, isoTime, duration, bytes, truncate, truncateMiddle} from './dom.js';
import {store, sinceStart, kindInferred} from './store.js';
import {RowWindow} from './rowwindow.js';

/** More live changes than this between two draws are drawn by sorting everything again, not one by one. */
const MOST_MOVED = 500;

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
    this.changes = new Map(); // id → the stream as it changed live since the last draw
    // a row that is never seen, holding each column's longest text among all the streams: the table's
    // widths follow from it, not from the rows drawn (which made them shift while scrolling)
    this.sizer = this.table.appendChild(h('tbody', {class: 'sizer', 'aria-hidden': 'true'}));
    this.longest = []; // per column: [length of its longest text, the stream that has it]
    this.remeasure = true; // the longest texts are to be found among all the streams again
    this.sized = false; // the sizer holds the longest texts
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
    this.changes.clear();
    this.remeasure = true;
    if ($('connections-pane').hidden) {
      this.stale = true;
    } else {
      this.render();
    }
  }

  /** Stream `id` came or changed to `c` (or went: null): drawn in a moment, with whatever else changes meanwhile. */
  changed(id, c) {
    this.changes.set(id, c);
    if (this.renderTimer) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = null;
      if (this.stale || $('connections-pane').hidden || this.changes.size > MOST_MOVED) this.update();
      else this.move();
    }, 200);
  }

  /**
   * Moves the streams that changed to where they now sort, the others staying in order: sorting all
   * of 50,000 again on each live change took up to 130 ms, the page frozen meanwhile.
   */
  move() {
    if (store.sessions === null) this.rows.forget(); // a stream came or closed: rows' times may count from elsewhere
    const changes = this.changes;
    this.changes = new Map();
    const value = SORT_KEYS[this.sort.key];
    const order = this.order();
    const shown = this.rows.items.filter((c) => !changes.has(c.id));
    for (const c of changes.values()) {
      if (c) this.measure(c);
      if (!c || (this.filter && !this.haystack(c).includes(this.filter))) continue;
      const key = value(c);
      let lo = 0, hi = shown.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (order(value(shown[mid]), shown[mid].id, key, c.id) < 0) lo = mid + 1; else hi = mid;
      }
      shown.splice(lo, 0, c);
    }
    this.show(shown);
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
    const value = SORT_KEYS[this.sort.key];
    const order = this.order();
    // each stream's key worked out once, not at each of the sort's 800,000 comparisons
    const keyed = (this.filter ? all.filter((c) => this.haystack(c).includes(this.filter)) : all).map((c) => [value(c), c]);
    keyed.sort(([x, a], [y, b]) => order(x, a.id, y, b.id));
    this.rows.forget(); // the times rows show count from their session's start, which a stream arriving may move
    if (this.remeasure) {
      this.remeasure = false;
      this.longest = [];
      for (const c of all) this.measure(c);
    }
    this.show(keyed.map(([, c]) => c));
  }

  /** Notes the lengths of stream `c`'s texts: a longer one than any before widens its column (see sizer). */
  measure(c) {
    cellLengths(c).forEach((length, i) => {
      if (length > (this.longest[i]?.[0] ?? -1)) {
        this.longest[i] = [length, c];
        this.sized = false;
      }
    });
  }

  /** Fills the sizer row with the longest text of each column, drawn as its row draws it. */
  size() {
    if (this.sized) return;
    this.sized = true;
    const rows = new Map(); // stream → its row, made once however many of its texts are the longest
    const cells = this.longest.map(([, c], i) => {
      if (!rows.has(c)) rows.set(c, this.row(c));
      return rows.get(c).children[i].cloneNode(true);
    });
    this.sizer.replaceChildren(cells.length ? h('tr', null, ...cells) : '');
  }

  /** How two streams sort, by their keys and (for ties) their numbers: as the column asks. */
  order() {
    const sign = this.sort.descending ? -1 : 1;
    return (x, a, y, b) => sign * (x < y ? -1 : x > y ? 1 : a - b);
  }

  /** Draws `shown`, the streams in the order and filter asked, and counts them. */
  show(shown) {
    const all = store.connections.size;
    const count = (n) => `${n.toLocaleString('en-US')} stream${n === 1 ? '' : 's'}`;
    $('connections-count').textContent = shown.length === all ? count(all)
      : `${shown.length.toLocaleString('en-US')} of ${count(all)}`;
    this.size();
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

/**
 * How long the text of each of stream `c`'s cells is, in column order, as row() writes them: the
 * longest of each column sizes it.
 */
function cellLengths(c) {
  const why = c.error || c.warning || '';
  return [String(c.id).length + 1, (c.kind || '').length + (c.kindInferred ? 9 : 0), (c.state || '').length,
    why ? why.length : Math.min((c.closeReason || '').length, 30), Math.min(identityOf(c).length, 34), (c.route || '').length,
    (c.tls || '').length, (sinceStart(c.openedAt) ?? clock(c.openedAt)).length,
    c.closedAt ? duration(c.closedAt - c.openedAt).length : 4, String(c.stanzaCount).length, bytes(c.bytesIn).length,
    bytes(c.bytesOut).length];
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
