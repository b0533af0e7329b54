// Where the reader is in a scrolling pane that is redrawn from scratch. A redraw empties the pane
// first, which drops its scroll position; these keep the same row in the same place instead, so
// a new arrival, a resize, "Load earlier" or switching views does not move what is being read.

/**
 * The row being read: the first (`[data-ref]`) with its middle in view below `topInset` px, and
 * how far below that line it is.
 */
export function anchorOf(pane, topInset = 0) {
  const rows = pane.querySelectorAll('[data-ref]');
  const top = pane.getBoundingClientRect().top + topInset;
  // rows are drawn in time order, top to bottom: halve the range instead of measuring them all
  let lo = 0, hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const box = rows[mid].getBoundingClientRect();
    if ((box.top + box.bottom) / 2 <= top) lo = mid + 1; else hi = mid;
  }
  if (lo >= rows.length) return {ref: null, offset: 0, left: pane.scrollLeft, top: pane.scrollTop};
  return {ref: rows[lo].dataset.ref, offset: rows[lo].getBoundingClientRect().top - top,
    left: pane.scrollLeft, top: pane.scrollTop};
}

/** Scrolls the redrawn pane so the anchor's row is where it was (or to the old offsets without it). */
export function restoreAnchor(pane, anchor, topInset = 0) {
  pane.scrollLeft = anchor.left;
  const row = anchor.ref && pane.querySelector(`[data-ref="${CSS.escape(anchor.ref)}"]`);
  if (!row) {
    pane.scrollTop = anchor.top;
    return;
  }
  const top = pane.getBoundingClientRect().top + topInset;
  pane.scrollTop += row.getBoundingClientRect().top - top - anchor.offset;
}

/**
 * Scrolls sideways as little as brings `box` (viewport `left` and `right`) into view right of
 * `leftInset` px (a sticky column); a box wider than the view is shown from its start.
 */
export function revealSideways(pane, box, leftInset = 0) {
  const edge = pane.getBoundingClientRect().left + pane.clientLeft;
  const left = edge + leftInset;
  const right = edge + pane.clientWidth;
  const margin = 16; // an arrowhead flush with the edge reads as cut off
  if (box.left < left || box.right - box.left > right - left - 2 * margin) pane.scrollLeft += box.left - left - margin;
  else if (box.right > right) pane.scrollLeft += box.right - right + margin;
}
