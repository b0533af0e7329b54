// Room on screen for labels. Labels keep one size on screen (readable in a small pane), so in a
// dense mesh they would run into each other: labels are given room in order of importance, and
// one that would touch a label already given room is left out (the graph shows it on hover, and
// zooming in gives it room again). Boxes are in px on screen, rotated by `a` (radians) about
// their centre (x, y), as a stream's label runs along its stream.

export const PAD = 2;      // px kept clear around every label
const CELL = 64;            // px, side of a cell of the grid the boxes are filed in
export const MARGIN = 4;   // graph units between a node's body and its label (the style's text-margin)
export const LINE = 1.25;  // a label's height per px of font
export const OUTLINE = 2;  // graph units of text outline or background padding around a label's text

export class LabelRoom {
  constructor() {
    this.cells = new Map(); // "i,j" → boxes covering that cell
  }

  /** Whether none of `boxes` overlaps a box given room, nor another of `boxes`. */
  fits(boxes) {
    const own = new LabelRoom();
    return boxes.every((b) => {
      if (this.hits(b) || own.hits(b)) return false;
      own.take([b]);
      return true;
    });
  }

  /** Gives `boxes` room: later boxes must stay clear of them. */
  take(boxes) {
    for (const b of boxes) for (const key of cellsOf(b)) {
      const cell = this.cells.get(key);
      if (cell) cell.push(b); else this.cells.set(key, [b]);
    }
  }

  /** Whether `b` overlaps a box given room. */
  hits(b) {
    if (![b.x, b.y, b.w, b.h, b.a].every(Number.isFinite)) return true; // not laid out: no room known
    for (const key of cellsOf(b)) if ((this.cells.get(key) || []).some((o) => overlap(b, o))) return true;
    return false;
  }
}

/** The box of an element's label as drawn now (a node's, or an unrotated one), from Cytoscape. */
export function drawnBox(el) {
  const b = el.renderedBoundingBox({includeNodes: false, includeEdges: false, includeOverlays: false, includeUnderlays: false});
  return {x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2, w: b.w + 2 * PAD, h: b.h + 2 * PAD, a: 0};
}

/**
 * Where a node's label would be drawn in a font of `font` px on `side` of it ('right', 'left',
 * 'above', else below): beside its body, a line of text per line of its caption.
 */
export function nodeBox(node, font, side = node.data('side')) {
  const text = String(node.data('caption') || '');
  const z = node.cy().zoom();
  const w = textWidth(text, `${node.style('font-weight')} ${font}px ${node.style('font-family')}`) + 2 * (OUTLINE * z + PAD);
  const h = text.split('\n').length * font * LINE + 2 * (OUTLINE * z + PAD);
  const p = node.renderedPosition();
  // Cytoscape draws the text's outline from the margin on: the box's own padding straddles that edge
  const r = node.renderedOuterWidth() / 2 + MARGIN * z - (OUTLINE * z + PAD);
  switch (side) {
    case 'right': return {x: p.x + r + w / 2, y: p.y, w, h, a: 0};
    case 'left': return {x: p.x - r - w / 2, y: p.y, w, h, a: 0};
    case 'above': return {x: p.x, y: p.y - r - h / 2, w, h, a: 0};
    default: return {x: p.x, y: p.y + r + h / 2, w, h, a: 0};
  }
}

/**
 * Where a stream's label would be drawn with `text` in a font of `font` px: at its middle, along
 * it. Its curve is quadratic, whose direction halfway is that from its start to its end.
 */
export function streamBox(edge, text, font) {
  const [p, q] = [edge.renderedSourceEndpoint(), edge.renderedTargetEndpoint()];
  const m = edge.renderedMidpoint();
  let a = Math.atan2(q.y - p.y, q.x - p.x);
  if (a > Math.PI / 2) a -= Math.PI; else if (a < -Math.PI / 2) a += Math.PI; // text is never upside down
  const pad = OUTLINE * edge.cy().zoom() + PAD;
  return {x: m.x, y: m.y, w: textWidth(text, `${font}px ${edge.style('font-family')}`) + 2 * pad, h: font * LINE + 2 * pad, a};
}

const measure = document.createElement('canvas').getContext('2d');

/** How wide `text` is drawn in `font` (a CSS font), its widest line, in px. */
export function textWidth(text, font) {
  measure.font = font;
  return Math.max(...text.split('\n').map((line) => measure.measureText(line).width));
}

/** Two rotated boxes overlap unless one of their four sides' directions separates them. */
function overlap(p, q) {
  if (!p.a && !q.a) return Math.abs(p.x - q.x) * 2 < p.w + q.w && Math.abs(p.y - q.y) * 2 < p.h + q.h;
  return ![p.a, p.a + Math.PI / 2, q.a, q.a + Math.PI / 2].some((t) => {
    const [pp, qq] = [p, q].map((r) => corners(r).map(([x, y]) => x * Math.cos(t) + y * Math.sin(t)));
    return Math.max(...pp) <= Math.min(...qq) || Math.max(...qq) <= Math.min(...pp);
  });
}

function corners(r) {
  const [c, s] = [Math.cos(r.a), Math.sin(r.a)];
  return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([sx, sy]) =>
    [r.x + sx * r.w / 2 * c - sy * r.h / 2 * s, r.y + sx * r.w / 2 * s + sy * r.h / 2 * c]);
}

/** The grid cells the box's upright bounds cover. */
function* cellsOf(b) {
  const rx = (Math.abs(b.w * Math.cos(b.a)) + Math.abs(b.h * Math.sin(b.a))) / 2;
  const ry = (Math.abs(b.w * Math.sin(b.a)) + Math.abs(b.h * Math.cos(b.a))) / 2;
  for (let i = Math.floor((b.x - rx) / CELL); i <= Math.floor((b.x + rx) / CELL); i++) {
    for (let j = Math.floor((b.y - ry) / CELL); j <= Math.floor((b.y + ry) / CELL); j++) yield `${i},${j}`;
  }
}
