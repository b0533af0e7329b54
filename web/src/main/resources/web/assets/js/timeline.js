// The timeline pane: filters, the sequence diagram or the dense list, paging, and following
// live traffic. The server filters (the same /api/stanzas scripts use); live updates re-ask it
// for what came after the last element shown, so what is listed always matches the filters.
// Following keeps the newest in view: a growing capture opens on its newest page, and when a
// stanza arrives while older pages are shown, the newest page replaces them ("Load earlier"
// walks back from there).

import {api} from './api.js';
import {$, h, clear, clock, isoTime, download, truncate, truncateMiddle, textOf} from './dom.js';
import {drawSequence, drawSequenceScrolling, placeLabels, rowTimes, toMermaid} from './sequence.js';
import {endpoints, nodeLabel, sinceStart} from './store.js';
import {anchorOf, restoreAnchor, revealSideways} from './viewport.js';

const PAGE = 300;
const SEQUENCE_MAX = 600;
// what Following keeps of a long live session: re-rendering an ever longer list froze the page
const LIVE_MAX = 2000;
const TAIL_MAX = 2000; // what one request for the tail may bring (the API's largest page)
const FILTER_FIELDS = ['q', 'jid', 'kind', 'type', 'ns', 'id'];
// how long a page the user waits for may take before the pane says it is searching
const SEARCHING_AFTER_MS = 250;

export class Timeline {
  constructor({onSelect}) {
    // picking a stanza (click, ↑/↓) while Following holds the view on it: arrivals are still
    // appended, and counted on the chip, but no longer scroll it away (Wireshark's auto-scroll
    // stops on a selection the same way)
    this.onSelect = (ref) => {
      if (this.follow) this.holding = true;
      onSelect(ref);
    };
    this.holding = false;
    this.pressed = false; // the pointer is pressed on the timeline (see wire)
    this.pointing = false; // a mouse pointer is over the timeline (see wire)
    this.asking = 0; // pages asked for that the user waits for (see ask)
    this.arrivedWhilePressed = false;
    this.items = [];
    this.refs = new Set();
    this.next = null;
    this.previous = null;
    this.trimmedAt = null; // the time of the oldest element kept after Following dropped older ones
    this.growing = true; // a proxy's capture or a replay (opens on its newest page), not a stored one
    this.mode = 'sequence';
    this.follow = true;
    this.pendingNew = 0;
    this.selected = null;
    this.conn = null;
    this.loadSeq = 0;
    // names this page's searches to the server (with loadSeq), so that a newer one stops those it replaced
    this.client = Math.random().toString(36).slice(2, 12) || 'page';
    this.tailTimer = null;
    this.body = $('timeline');
    this.wire();
  }

  wire() {
    let debounce = null;
    const later = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => this.reload(), 280);
    };
    $('filters').addEventListener('input', later);
    $('filters').addEventListener('change', later);
    $('filters').addEventListener('submit', (e) => { e.preventDefault(); this.reload(); });
    $('f-clear').addEventListener('click', () => this.clearFilters());
    $('mode-sequence').addEventListener('click', () => this.setMode('sequence'));
    $('mode-list').addEventListener('click', () => this.setMode('list'));
    // while held ("Held": arrivals wait below), the button catches up rather than pauses
    $('follow').addEventListener('click', () => this.setFollow(!this.follow || this.pendingNew > 0));
    $('timeline-new').addEventListener('click', () => this.setFollow(true));
    $('load-more').addEventListener('click', () => this.loadMore());
    $('load-earlier').addEventListener('click', () => this.loadEarlier());
    $('export-svg').addEventListener('click', () => this.exportSvg());
    $('export-mermaid').addEventListener('click', () => this.exportMermaid());
    window.addEventListener('resize', () => { if (this.mode === 'sequence') this.render(); });
    // reading back through the timeline pauses Following, so arrivals do not pull the view away
    this.body.addEventListener('wheel', (e) => { if (e.deltaY < 0) this.pauseToRead(); }, {passive: true});
    this.body.addEventListener('keydown', (e) => { if (e.key === 'PageUp' || e.key === 'Home') this.pauseToRead(); });
    // a press on the timeline holds what arrives until it is let go: a redraw between mousedown
    // and mouseup replaced the row under the pointer, and the click on it was lost
    this.body.addEventListener('pointerdown', () => { this.pressed = true; });
    for (const ev of ['pointerup', 'pointercancel', 'blur']) window.addEventListener(ev, () => this.unpress());
    // a mouse over the timeline holds the view as a pick does, until it leaves: each arrival
    // scrolled the rows up, and the row a user aimed at moved away before the press
    this.body.addEventListener('pointerenter', (e) => { if (e.pointerType === 'mouse') this.pointing = true; });
    this.body.addEventListener('pointerleave', () => this.unpoint());
    let placing = false;
    this.body.addEventListener('scroll', () => {
      if (this.held() && this.atEnd()) this.release(); // scrolled down to what arrived
      if (placing || this.mode !== 'sequence') return;
      placing = true;
      requestAnimationFrame(() => { placing = false; placeLabels(this.body); });
    }, {passive: true});
    // ↑/↓ walk the timeline, the inspector following
    this.body.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const items = this.mode === 'sequence' ? this.visibleItems() : this.items;
      if (!items.length) return;
      e.preventDefault();
      const i = items.findIndex((it) => it.ref === this.selected);
      const next = i < 0 ? 0 : Math.max(0, Math.min(items.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)));
      this.onSelect(items[next].ref);
      const el = this.body.querySelector(`[data-ref="${CSS.escape(items[next].ref)}"]`);
      if (el) el.scrollIntoView({block: 'nearest'});
    });
  }

  filters() {
    const f = {};
    for (const k of FILTER_FIELDS) f[k] = $(`f-${k}`).value.trim();
    if (this.conn !== null) f.conn = this.conn;
    return f;
  }

  /** Narrows to one stream (from a graph edge) or one entity's JID (from a graph node); null clears. */
  narrow({jid = null, conn = null, label = null} = {}) {
    $('f-jid').value = jid || '';
    this.conn = conn;
    const chip = $('f-conn');
    clear(chip);
    if (conn !== null) {
      chip.hidden = false;
      chip.appendChild(textOf(label || `stream #${conn}`));
      chip.appendChild(h('button', {type: 'button', title: 'Show all streams', onclick: () => { this.conn = null; chip.hidden = true; this.reload(); }}, '×'));
    } else {
      chip.hidden = true;
    }
    this.reload();
  }

  /** Sets some filters (`{jid}`, `{id}`), then shows the stanza `ref` (at `at`) among what they keep. */
  async filterBy(fields, ref, at) {
    for (const [k, v] of Object.entries(fields)) $(`f-${k}`).value = v;
    await this.reload();
    if (this.selected === ref) this.reveal(ref, at);
  }

  clearFilters() {
    for (const k of FILTER_FIELDS) $(`f-${k}`).value = '';
    this.forgetStream();
    this.reload();
  }

  /** Drops the narrowing to one stream, without reloading. */
  forgetStream() {
    this.conn = null;
    $('f-conn').hidden = true;
  }

  setMode(mode) {
    this.mode = mode;
    $('mode-sequence').classList.toggle('on', mode === 'sequence');
    $('mode-list').classList.toggle('on', mode === 'list');
    // the same rows stay in view, but not the sideways scroll: the list's time column started cut off
    this.body.scrollLeft = 0;
    this.render();
  }

  /** A stored capture does not grow: it opens on its first page, with nothing to follow. */
  setGrowing(growing) {
    this.growing = growing;
    $('follow').hidden = !growing;
  }

  pauseToRead() {
    if (this.follow) this.setFollow(false);
  }

  setFollow(on) {
    const behind = this.holding || this.pendingNew > 0;
    this.holding = false;
    this.follow = on;
    this.showFollowState();
    if (on) {
      this.release();
      if (behind) this.body.scrollTo(this.body.scrollLeft, this.body.scrollHeight);
      this.catchUp();
    }
  }

  /** Whether arrivals are appended below the view rather than scrolled to: a stanza is picked, or the mouse is over the timeline. */
  held() {
    return this.holding || this.pointing;
  }

  /** The mouse left the timeline: what arrived while it was there is scrolled to, unless a stanza is picked. */
  unpoint() {
    if (!this.pointing) return;
    this.pointing = false;
    if (this.follow && !this.holding && this.pendingNew > 0) {
      this.release();
      this.render('end');
    }
  }

  /** Lets go of a picked stanza and clears the count of arrivals not shown (below it, or while paused). */
  release() {
    this.holding = false;
    this.pendingNew = 0;
    $('timeline-new').hidden = true;
    this.showFollowState();
  }

  /** The button says what the view does: follows the newest, holds while arrivals wait below it, or is paused. */
  showFollowState() {
    const b = $('follow');
    const heldBack = this.follow && this.pendingNew > 0;
    b.classList.toggle('on', this.follow);
    b.textContent = !this.follow ? 'Paused' : heldBack ? 'Held' : 'Following';
    b.title = !this.follow ? 'Paused: click to follow live traffic'
      : heldBack ? $('timeline-new').title : 'Following live traffic: click to pause';
  }

  atEnd() {
    return this.body.scrollTop + this.body.clientHeight >= this.body.scrollHeight - 2;
  }

  /**
   * Loads the first page under the current filters, or the newest: Following a growing capture,
   * or catching up after older pages were shown.
   */
  async reload(newest = this.follow && this.growing) {
    const seq = ++this.loadSeq;
    let page;
    try {
      page = await this.ask({...this.filters(), ...(newest ? {cursor: 'latest'} : {}), limit: PAGE});
    } catch (e) {
      this.showError(e);
      return;
    }
    if (seq !== this.loadSeq) return; // a newer filter won
    this.show(page);
    this.release(); // what was held may not be on the new page
    this.render(newest ? 'end' : 'top');
  }

  /**
   * A page the user waits for (new filters, the next page, a linked stanza). A search that matches
   * little reads a long capture through (a second or so per million elements, the first time), so
   * after a moment the pane says it is searching, and dims the rows it may replace, until every
   * such request has answered.
   */
  async ask(params) {
    const slow = setTimeout(() => this.showSearching(true), SEARCHING_AFTER_MS);
    this.asking++;
    try {
      return await this.page(params);
    } finally {
      clearTimeout(slow);
      if (--this.asking === 0) this.showSearching(false);
    }
  }

  /**
   * A page of /api/stanzas, as search number loadSeq of this page: once a newer one has begun
   * (new filters, say), the server stops this one (409) and it answers null; every caller has then
   * seen loadSeq move on, and drops what it asked for. A request reads a bounded part of the
   * timeline (its `searchedTo` says where it stopped): until the page is full or the timeline has
   * been read, this asks on from there, saying how far the search got, and stops asking once a
   * newer search began (or the page was closed: the server then reads no further).
   */
  async page(params) {
    const seq = this.loadSeq;
    const limit = params.limit || PAGE;
    const backward = params.cursor === 'latest' || String(params.cursor || '').startsWith('before:');
    const fromAnEnd = !params.cursor || params.cursor === 'latest';
    let whole = null;
    for (;;) {
      let part;
      try {
        part = await api.stanzas({...params, search: `${this.client}:${seq}`});
      } catch (e) {
        if (e.status === 409) return null;
        throw e;
      }
      whole = whole ? joinPages(whole, part, backward, fromAnEnd) : part;
      const onFrom = backward ? part.previous : part.next;
      if (part.searchedTo == null || !onFrom || whole.items.length >= limit || seq !== this.loadSeq) return whole;
      $('timeline-searching').textContent = `Searching… ${backward ? 'back to' : 'up to'} ${sinceStart(part.searchedTo) ?? clock(part.searchedTo)}`;
      params = {...params, cursor: onFrom, limit: limit - whole.items.length};
    }
  }

  showSearching(on) {
    $('timeline-searching').hidden = !on;
    if (!on) $('timeline-searching').textContent = 'Searching…';
    this.body.classList.toggle('searching', on);
  }

  show(page) {
    this.items = page.items;
    this.refs = new Set(page.items.map((i) => i.ref));
    this.next = page.next;
    this.previous = page.previous;
    this.trimmedAt = null;
  }

  /**
   * A stored capture's analysis went on: a first page it had not filled is asked again. Pages
   * past a full one are asked for as the user scrolls to them, and hold what is analyzed by then.
   */
  grown() {
    if (!this.next && this.items.length < PAGE && this.asking === 0) this.reload(false);
  }

  /** Shows what arrived: the rest of the tail, or the newest page when older pages are shown. */
  catchUp() {
    if (this.next) this.reload(true);
    else this.fetchTail();
  }

  async loadEarlier() {
    // after Following dropped the oldest, the page before what is kept is asked for by time
    // (a microsecond later, as JSON numbers round; what is already shown is deduped by ref)
    const where = this.previous ? {cursor: this.previous}
      : this.trimmedAt !== null ? {cursor: 'latest', until: String(Math.floor(this.trimmedAt) + 1000)} : null;
    if (!where) return;
    const seq = this.loadSeq;
    const page = await this.ask({...this.filters(), ...where, limit: PAGE});
    if (seq !== this.loadSeq) return;
    const earlier = page.items.filter((it) => !this.refs.has(it.ref));
    for (const it of earlier) this.refs.add(it.ref);
    this.items = earlier.concat(this.items);
    this.previous = page.previous;
    this.trimmedAt = null;
    this.render();
  }

  hasEarlier() {
    return Boolean(this.previous) || this.trimmedAt !== null;
  }

  /** Following, keeps the newest LIVE_MAX elements; "Load earlier" brings back what went. */
  trimWhileFollowing() {
    if (!this.follow || this.items.length <= LIVE_MAX) return;
    for (const it of this.items.splice(0, this.items.length - LIVE_MAX)) this.refs.delete(it.ref);
    this.previous = null; // it pointed before the oldest element dropped, not before the oldest kept
    this.trimmedAt = this.items[0].at;
  }

  async loadMore() {
    if (!this.next) return;
    const seq = this.loadSeq;
    const page = await this.ask({...this.filters(), cursor: this.next, limit: PAGE});
    if (seq !== this.loadSeq) return;
    this.append(page.items);
    this.next = page.next;
    this.render();
  }

  append(items) {
    for (const it of items) {
      if (this.refs.has(it.ref)) continue;
      this.refs.add(it.ref);
      this.items.push(it);
    }
  }

  /** A stanza arrived live: fetch what is new under the current filters (coalesced). */
  onLiveStanza() {
    if (!this.follow) {
      this.countNew(1, '');
      return;
    }
    if (this.pressed) {
      this.arrivedWhilePressed = true;
      return;
    }
    if (this.tailTimer) return;
    this.tailTimer = setTimeout(() => { this.tailTimer = null; this.catchUp(); }, 120);
  }

  /** The press on the timeline is over: what arrived meanwhile is fetched once its click (this event's task) is done. */
  unpress() {
    if (!this.pressed) return;
    this.pressed = false;
    if (this.arrivedWhilePressed) {
      this.arrivedWhilePressed = false;
      setTimeout(() => this.onLiveStanza(), 0);
    }
  }

  /** The chip that counts arrivals the view does not show: paused, or below a held stanza. */
  countNew(n, where) {
    this.pendingNew += n;
    const chip = $('timeline-new');
    chip.hidden = false;
    chip.textContent = `${this.pendingNew} new${where ? ' ' + where : ''} — follow`;
    // why the view holds, on hover: a hold by the pointer alone ends when it leaves
    chip.title = !this.follow ? 'Paused: click to follow the newest'
      : this.holding ? 'Held on the stanza you picked: click, or scroll to the end, to follow the newest'
        : 'Held while the mouse is over the timeline: move it away, or click, to follow the newest';
    this.showFollowState();
  }

  async fetchTail() {
    const last = this.items.length ? this.items[this.items.length - 1].at : null;
    const seq = this.loadSeq;
    // `from` is inclusive and JSON numbers round to ~256 ns: step back a microsecond, dedupe by ref
    const from = last === null ? undefined : String(Math.floor(last) - 1000);
    let page;
    try {
      page = await this.page({...this.filters(), from, limit: TAIL_MAX});
    } catch (e) {
      this.showError(e);
      return;
    }
    if (seq !== this.loadSeq) return;
    if (this.pressed) { // asked before the press: asked again once it is over
      this.arrivedWhilePressed = true;
      return;
    }
    if (page.next) { // more arrived than one request holds: the newest page is what Following shows
      this.reload(true);
      return;
    }
    const before = this.items.length;
    this.append(page.items);
    if (this.items.length !== before) {
      const held = this.held();
      if (held) this.countNew(this.items.length - before, 'below');
      this.trimWhileFollowing();
      this.render(held ? 'keep' : 'end');
      if (held && this.atEnd()) this.release(); // it all fits in view
    }
  }

  select(ref) {
    this.selected = ref;
    for (const el of this.body.querySelectorAll('.selected')) el.classList.remove('selected');
    if (ref) {
      const el = this.body.querySelector(`[data-ref="${CSS.escape(ref)}"]`);
      if (el) {
        el.classList.add('selected');
      }
    }
  }

  /**
   * Brings a selected stanza into view. A deep link, a hop of a route or an IQ's partner may name
   * one that is not on the pages shown: then the page that starts at it (`at`) is shown instead,
   * and Following pauses, since that is an older page. One the filters hide is left unshown.
   */
  async reveal(ref, at) {
    if (!this.rowOf(ref)) {
      const seq = ++this.loadSeq;
      let page;
      try {
        page = await this.ask({...this.filters(), from: String(Math.floor(at) - 1000), limit: PAGE});
      } catch (e) {
        return; // the inspector shows the stanza all the same
      }
      if (seq !== this.loadSeq || this.selected !== ref || !page.items.some((it) => it.ref === ref)) return;
      this.pauseToRead();
      this.show(page);
      this.release();
      this.render('top');
    }
    const row = this.rowOf(ref);
    if (!row) return; // in the sequence's oldest part, beyond what it draws
    const box = row.getBoundingClientRect();
    const pane = this.body.getBoundingClientRect();
    if (box.top < pane.top + this.stickyHeight() || box.bottom > pane.bottom) row.scrollIntoView({block: 'center'});
    if (this.mode === 'sequence') this.revealArrow(row);
  }

  rowOf(ref) {
    return this.body.querySelector(`[data-ref="${CSS.escape(ref)}"]`);
  }

  visibleItems() {
    return this.mode === 'sequence' && this.items.length > SEQUENCE_MAX ? this.items.slice(-SEQUENCE_MAX) : this.items;
  }

  /**
   * Redraws what is loaded. `scroll`: 'end' while Following brings the newest element into view
   * (sideways too, when lanes are wider than the pane), 'top' starts a new selection at its
   * beginning, and 'keep' leaves the reader's row where it was.
   */
  render(scroll = 'keep') {
    const reading = anchorOf(this.body, this.stickyHeight());
    clear(this.body);
    $('load-more').hidden = !this.next;
    $('load-earlier').hidden = !this.hasEarlier();
    const count = $('timeline-count');
    if (!this.items.length) {
      count.textContent = '';
      this.body.appendChild(h('div', {class: 'empty-note'}, this.hasFilters()
        ? 'Nothing matches these filters.' : 'No stanzas yet. Traffic through the proxy appears here as it happens.'));
      return;
    }
    const shown = this.visibleItems();
    count.textContent = shown.length < this.items.length
      ? `latest ${shown.length} of ${this.items.length} loaded — the List shows all`
      : `${this.items.length} element${this.items.length === 1 ? '' : 's'}${this.next || this.hasEarlier() ? ' (more available)' : ''}`;
    if (this.mode === 'sequence') {
      this.body.appendChild(drawSequenceScrolling(shown, {
        width: this.body.clientWidth, selected: this.selected, onClick: (st) => this.onSelect(st.ref)}));
    } else {
      this.body.appendChild(this.renderList(this.items));
    }
    if (scroll === 'top') {
      this.body.scrollTo(0, 0);
    } else if (scroll === 'end' && this.follow) {
      this.body.scrollTo(reading.left, this.body.scrollHeight);
      this.revealNewestArrow();
    } else {
      restoreAnchor(this.body, reading, this.stickyHeight());
    }
    if (this.mode === 'sequence') placeLabels(this.body);
  }

  /** The height of what sticks to the pane's top over the rows: the lane heads, the list's header. */
  stickyHeight() {
    const head = this.body.querySelector('svg.sticky-head, thead');
    return head ? head.getBoundingClientRect().height : 0;
  }

  /** Scrolls sideways to the newest arrow and its label, right of the sticky times column. */
  revealNewestArrow() {
    const rows = this.body.querySelectorAll('svg.sequence .row');
    if (rows.length) this.revealArrow(rows[rows.length - 1]);
  }

  /** Scrolls sideways to a row's arrow and its label (its band spans every lane), right of the sticky times column. */
  revealArrow(row) {
    // a label waiting at the pane's edge for its arrow to scroll in is not where the arrow is
    const parts = [...row.querySelectorAll('line, .lbl:not(.beyond)')].map((el) => el.getBoundingClientRect());
    if (!parts.length) return;
    const times = this.body.querySelector('svg.seq-times');
    revealSideways(this.body, {left: Math.min(...parts.map((r) => r.left)), right: Math.max(...parts.map((r) => r.right))},
      times ? times.getBoundingClientRect().width : 0);
  }

  renderList(items) {
    const tbody = h('tbody');
    const times = rowTimes(items); // as the sequence has them; the wall clock on hover
    items.forEach((st, i) => {
      const [from, to] = endpoints(st.connection, st.direction);
      const tr = h('tr', {'data-ref': st.ref, class: st.ref === this.selected ? 'selected' : null,
        title: `${clock(st.at)}  (${isoTime(st.at)})`, onclick: () => this.onSelect(st.ref)},
        h('td', {class: 'mono time'}, times[i]),
        h('td', {class: 'num'}, `#${st.connection}`),
        h('td', null, truncateMiddle(nodeLabel(from), 26), ' → ', truncateMiddle(nodeLabel(to), 26)),
        h('td', null, h('span', {class: `kind ${st.kind}`}, st.kind)),
        h('td', null, st.type || ''),
        h('td', {class: 'summary', title: st.summary || null}, truncate(st.summary || '', 200)),
        h('td', {class: 'mono id', title: st.id || null}, st.id || ''),
        h('td', {class: 'muted protocols', title: (st.labels || []).join(', ') || null}, (st.labels || []).join(', ')));
      tbody.appendChild(tr);
    });
    return h('table', {class: 'grid list'},
      h('thead', null, h('tr', null, ...['time', 'stream', 'from → to (on this link)', 'kind', 'type', 'summary', 'id', 'protocols']
        .map((t) => h('th', null, t)))), tbody);
  }

  hasFilters() {
    const f = this.filters();
    return Object.values(f).some((v) => v !== '' && v !== null && v !== undefined);
  }

  showError(e) {
    clear(this.body).appendChild(h('div', {class: 'empty-note'}, `Could not load the timeline: ${e.message}`));
  }

  /** The current selection (what the filters show) as a standalone SVG file. */
  exportSvg() {
    download('xmppscope-sequence.svg', this.svgText(), 'image/svg+xml');
  }

  svgText() {
    const svg = drawSequence(this.visibleItems(), {width: 1100, standalone: true});
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
  }

  exportMermaid() {
    const text = toMermaid(this.visibleItems());
    $('mermaid-text').value = text;
    $('mermaid-dialog').showModal();
  }
}

/**
 * Two parts of one page, `later` asked for from where `earlier` stopped (backwards: before it). On
 * the side the page began, the cursor is what the first part with items said; with none yet, a
 * page that began at an end (the first page, the newest) has nothing beyond it there.
 */
function joinPages(earlier, later, backward, fromAnEnd) {
  const began = backward ? 'next' : 'previous';
  const went = backward ? 'previous' : 'next';
  return {
    items: backward ? later.items.concat(earlier.items) : earlier.items.concat(later.items),
    [began]: earlier.items.length ? earlier[began] : fromAnEnd ? null : later[began],
    [went]: later[went],
    searchedTo: later.searchedTo,
  };
}
