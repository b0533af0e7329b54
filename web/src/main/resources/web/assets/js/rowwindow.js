// A table body that holds only the rows in and near view, however many there are: the rest are
// two spacer rows of the height they would take. Drawing every row of 5,000 streams took 10-23 s
// and froze the page meanwhile; a window of rows takes milliseconds at any count.
//
// Rows may wrap to several lines (why a stream failed is written in full), so their heights are
// measured as they are drawn and remembered by key; rows never drawn count as the rows measured so
// far do on average. Once measured, a row's height may differ from what was assumed: the first row
// in view then keeps its place on screen, and what moves is out of sight (a view scrolled to the
// end stays at the end, new rows and all).

import {clear, h} from './dom.js';

const OVERSCAN = 800;  // px drawn beyond each edge of the view, so that a wheel turn shows drawn rows
const FIRST_GUESS = 24; // px, one line, until a row is measured

export class RowWindow {
  /**
   * @param tbody  the table body to fill
   * @param scroller the element that scrolls it (its table's header inside it, sticky)
   * @param key    item → what identifies its row across redraws
   * @param row    item → its <tr>
   */
  constructor(tbody, scroller, {key, row}) {
    this.tbody = tbody;
    this.scroller = scroller;
    this.key = key;
    this.row = row;
    this.items = [];
    this.heights = new Map(); // key → px, as measured
    this.measured = {count: 0, total: 0};
    this.offsets = new Float64Array(1); // offsets[i]: where row i starts, from the body's top
    this.drawn = null; // [first, last) drawn
    this.drawnRows = new Map(); // item → its <tr>, as last drawn: an item drawn again keeps its row
    this.pending = false;
    this.atEnd = false; // scrolled to the very end: kept there as rows are measured or arrive, as a packet list does
    scroller.style.overflowAnchor = 'none'; // the window keeps the view in place itself
    scroller.addEventListener('scroll', () => {
      this.atEnd = scroller.scrollTop > 0 && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
      this.drawSoon();
    });
    new ResizeObserver(() => this.drawSoon()).observe(scroller);
  }

  /** Shows `items`, in this order, keeping the scroll position. */
  setItems(items) {
    this.items = items;
    this.layOut();
    this.drawn = null;
    this.draw();
  }

  /** Makes every row anew at the next draw, not only those of items not drawn before (what they show changed). */
  forget() {
    this.drawnRows.clear();
  }

  /** Index of the row keyed `key`, or -1. */
  indexOf(key) {
    return this.items.findIndex((item) => this.key(item) === key);
  }

  /** Scrolls row `index` to the middle of the view, unless it is wholly in view already. */
  reveal(index) {
    if (index < 0 || index >= this.items.length) return;
    const {top, bottom} = this.view();
    const rowTop = this.offsets[index], rowBottom = this.offsets[index + 1];
    if (rowTop >= top && rowBottom <= bottom) return;
    this.scrollTo(rowTop - (bottom - top - (rowBottom - rowTop)) / 2);
    this.draw();
  }

  drawSoon() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  /** Draws the rows in and near view, unless they are drawn already. */
  draw() {
    if (!this.scroller.clientHeight) return; // hidden: drawn when shown (the resize observer)
    const {top, bottom} = this.view();
    const first = Math.max(0, this.rowAt(top - OVERSCAN));
    const last = Math.min(this.items.length, this.rowAt(bottom + OVERSCAN) + 1);
    if (this.drawn && first >= this.drawn[0] && last <= this.drawn[1]) return;
    const anchor = Math.min(this.rowAt(top), Math.max(0, this.items.length - 1));
    const intoAnchor = top - this.offsets[anchor];
    clear(this.tbody);
    const above = spacer();
    const below = spacer();
    // a live change moves a row or two: the others are drawn again as they were, not made anew
    const before = this.drawnRows;
    this.drawnRows = new Map(this.items.slice(first, last).map((item) => [item, before.get(item) ?? this.row(item)]));
    const rows = [...this.drawnRows.values()];
    this.tbody.append(above, ...rows, below);
    const fill = () => {
      above.firstChild.style.height = `${this.offsets[first]}px`;
      below.firstChild.style.height = `${this.offsets[this.items.length] - this.offsets[last]}px`;
    };
    fill();
    if (this.measure(rows, first)) {
      this.layOut();
      fill();
      if (this.items.length && !this.atEnd) this.scrollTo(this.offsets[anchor] + intoAnchor);
    }
    if (this.atEnd) this.scroller.scrollTop = this.scroller.scrollHeight;
    this.drawn = [first, last];
  }

  /** Scrolls so that the view begins `y` px into the body. */
  scrollTo(y) {
    this.scroller.scrollTop = y + this.bodyTop() - this.headHeight();
  }

  /** Remembers the heights of `rows` (items from `first` on); true if any differs from what was assumed. */
  measure(rows, first) {
    let changed = false;
    rows.forEach((tr, n) => {
      const key = this.key(this.items[first + n]);
      const height = tr.getBoundingClientRect().height;
      const before = this.heights.get(key);
      if (before === undefined) {
        this.measured.count++;
        this.measured.total += height;
      } else {
        this.measured.total += height - before;
      }
      if (before !== height) {
        this.heights.set(key, height);
        changed = true;
      }
    });
    return changed;
  }

  /** Works out where each row starts: its measured height, or the average of those measured. */
  layOut() {
    const guess = this.measured.count ? this.measured.total / this.measured.count : FIRST_GUESS;
    const offsets = new Float64Array(this.items.length + 1);
    for (let i = 0; i < this.items.length; i++) {
      offsets[i + 1] = offsets[i] + (this.heights.get(this.key(this.items[i])) ?? guess);
    }
    this.offsets = offsets;
  }

  /** The index of the row at `y` (body coordinates), clamped to the rows there are. */
  rowAt(y) {
    let lo = 0, hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid + 1] <= y) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** The part of the body in view, under the sticky header, in body coordinates. */
  view() {
    const top = this.scroller.scrollTop - this.bodyTop() + this.headHeight();
    return {top, bottom: this.scroller.scrollTop - this.bodyTop() + this.scroller.clientHeight};
  }

  /** Where the body starts in the scroller's content. */
  bodyTop() {
    return this.tbody.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top + this.scroller.scrollTop;
  }

  headHeight() {
    const head = this.tbody.parentElement.tHead;
    return head ? head.offsetHeight : 0;
  }
}

function spacer() {
  return h('tr', {class: 'spacer', 'aria-hidden': 'true'}, h('td', {colspan: 99}));
}
