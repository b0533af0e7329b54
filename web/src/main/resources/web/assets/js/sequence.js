// The timeline as a sequence diagram, the way XMPP flows are drawn in RFCs: one lane per entity,
// one arrow per element, time going down. Built with SVG DOM calls, so every label is a text node.
// The same function draws the picture exported for slides.

import {s, setText, reveal, truncate, truncateMiddle, isoTime} from './dom.js';
import {store, endpoints, nodeLabel, nodeKind, sessionStart, sinceStart, SESSION_GAP} from './store.js';

const ROW = 26;
const HEAD = 48;
const BODY_TOP = 6; // the rows' SVG on screen, under the lane heads
const GUTTER = 74; // the rows' times, at least; wider for times past an hour ("+1:25:03.120")
const MIN_LANE = 118;
const ARROW_COLOURS = {'k-message': '#2563a6', 'k-presence': '#3d8b6a', 'k-iq': '#8a5fb5', 'k-nonza': '#7b8794', 'k-error': '#cf4338'};

export function kindClass(st) {
  if (st.kind === 'message' || st.kind === 'presence' || st.kind === 'iq') {
    return st.type === 'error' ? 'k-error' : `k-${st.kind}`;
  }
  return st.kind === 'stream-error' || st.kind === 'unparsed' ? 'k-error' : 'k-nonza';
}

export function arrowLabel(st) {
  const what = st.summary || [st.kind, st.type].filter(Boolean).join(' ');
  return what.startsWith(st.kind) ? what : `${st.kind} · ${what}`;
}

/** Lanes for the entities involved, ordered server by server with their clients beside them. */
export function lanesFor(items) {
  const used = new Set();
  for (const st of items) for (const id of endpoints(st.connection, st.direction)) used.add(id);
  const servers = [...store.nodes.values()].filter((n) => n.kind === 'server');
  const order = [];
  const placed = new Set();
  servers.forEach((srv, i) => {
    const kids = [...store.nodes.values()].filter((n) => n.parent === srv.id && used.has(n.id));
    const clients = kids.filter((n) => n.kind !== 'component').map((n) => n.id);
    const services = kids.filter((n) => n.kind === 'component').map((n) => n.id);  // next to their server
    const mine = used.has(srv.id) || kids.length ? [srv.id] : [];
    const group = i % 2 === 0 ? [...clients, ...services, ...mine] : [...mine, ...services, ...clients];
    for (const id of group) { if (!placed.has(id)) { order.push(id); placed.add(id); } }
  });
  for (const id of used) if (!placed.has(id)) { order.push(id); placed.add(id); }
  return order;
}

/**
 * Draws `items` (stanza summaries, in time order) as one SVG (for export). `opts.selected` marks a
 * row, `opts.onClick` makes rows clickable, `opts.width` is the space available, `opts.standalone`
 * embeds styles.
 */
export function drawSequence(items, opts = {}) {
  return draw(items, opts, 'all', rowTimes(items), sessionBreaks(items));
}

/**
 * The on-screen version: lane heads in their own SVG that sticks to the top while the rows
 * scroll under it, and the rows' times in one that sticks to the left when a wide federation
 * scrolls sideways (it lets clicks through to the rows under it).
 */
export function drawSequenceScrolling(items, opts = {}) {
  const times = rowTimes(items);
  const breaks = sessionBreaks(items);
  const head = draw(items, opts, 'head', times, breaks);
  head.classList.add('sticky-head');
  const body = draw(items, opts, 'body', times, breaks);
  const rows = document.createElement('div');
  rows.className = 'seq-rows';
  rows.append(drawTimes(times, Number(body.getAttribute('height')), breaks), body);
  const wrap = document.createElement('div');
  wrap.className = 'seq-wrap';
  wrap.append(head, rows);
  return wrap;
}

function drawTimes(times, height, breaks) {
  const gutter = gutterFor(times);
  const svg = s('svg', {class: 'seq-times', width: gutter, height, 'aria-hidden': 'true'});
  svg.style.marginRight = `-${gutter}px`; // over the rows' empty margin (CSSOM: the CSP allows no inline style)
  svg.appendChild(s('rect', {x: 0, y: 0, width: gutter, height}));
  times.forEach((t, i) => svg.appendChild(s('text', {x: 6, y: rowY(BODY_TOP, i) + 4}, t)));
  for (const {row, start} of breaks) { // the session's line goes on under the times, with when it began
    svg.appendChild(sessionBreak(BODY_TOP + ROW * row, gutter, start, true));
  }
  return svg;
}

/**
 * Each row's time, from the start of the capture's session it is in (its first connection, as
 * the replay's clock counts), so a stanza keeps its time when earlier ones are loaded or filtered
 * out, and a session recorded a day later reads "+1.25 s", not "+24:00:01.250"; from the first
 * row's time where no connection is known.
 */
export function rowTimes(items) {
  return items.map((st) => sinceStart(st.at, items[0].at));
}

/**
 * The dashed line across the top edge of the row where another session begins (the times count
 * from 0 again below it), labelled in the times column with when that session began.
 */
function sessionBreak(y, width, start, labelled) {
  const g = s('g', {class: 'session-break'},
    s('title', null, `Another session begins ${isoTime(start)}: no connection was open for ${SESSION_GAP / 60e9} minutes`
      + ' or more before it. The times below count from its start.'),
    s('line', {x1: 0, y1: y, x2: width, y2: y}));
  if (labelled) {
    const text = sessionLabel(start);
    // hanging under the line, in the top of the row's band, clear of both rows' times
    g.append(s('rect', {x: 3, y: y + 1, width: 6 + 5.5 * text.length, height: 11, rx: 3}),
      s('text', {x: 6, y: y + 9}, text));
  }
  return g;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** When a session began, short enough for the times column: "7 Dec 14:02" (local time, as the rows' clocks). */
function sessionLabel(nanos) {
  const d = new Date(nanos / 1e6);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Room for the longest of `times` (10 px monospace) left of the lanes. */
function gutterFor(times) {
  return Math.max(GUTTER, Math.ceil(14 + 6.1 * times.reduce((n, t) => Math.max(n, t.length), 0)));
}

/**
 * Scrolled sideways, an arrow that runs under the sticky times column or past the pane's right
 * edge shows its label centred on the part in view (shortened to fit), not on the middle of the
 * whole arrow, where it would be hidden or cut. An arrow with (nearly) nothing in view keeps its
 * label at the edge it lies beyond, pointing that way: in a federation wider than the pane, a row
 * whose lanes are scrolled away looked empty. Only reads attributes, so it can run per frame.
 */
export function placeLabels(pane) {
  const svg = pane.querySelector('.seq-rows svg.sequence');
  if (!svg) return;
  const times = pane.querySelector('svg.seq-times');
  const left = pane.scrollLeft + (times ? Number(times.getAttribute('width')) : GUTTER) + 4;
  const right = pane.scrollLeft + pane.clientWidth - 4;
  const fits = Math.max(6, Math.min(40, Math.floor((right - left) / 6.2) - 2)); // letters an edge's label takes
  for (const label of svg.querySelectorAll('text.lbl')) {
    const line = label.previousElementSibling;
    const x1 = Number(line.getAttribute('x1')), x2 = Number(line.getAttribute('x2'));
    const lo = Math.min(x1, x2), hi = Math.max(x1, x2);
    const from = Math.max(lo, left), to = Math.min(hi, right);
    let x = (lo + hi) / 2, anchor = 'middle', text = label.dataset.cut;
    if (to - from < 40) { // (nearly) all of it out of view
      const before = lo + hi < left + right;
      [x, anchor] = before ? [left, 'start'] : [right, 'end'];
      text = before ? `◂ ${truncate(label.dataset.full, fits)}` : `${truncate(label.dataset.full, fits)} ▸`;
    } else if (from > lo || to < hi) { // partly in view
      x = (from + to) / 2;
      text = truncate(label.dataset.full, Math.max(6, Math.floor((to - from) / 6.2)));
    }
    if (label.getAttribute('x') === String(x) && label.textContent === reveal(text)) continue;
    label.setAttribute('x', String(x));
    label.setAttribute('text-anchor', anchor);
    label.classList.toggle('beyond', anchor !== 'middle');
    setText(label, text);
  }
}

/** The rows that begin another session of the capture than the row before them, with its start (see sessionStart). */
function sessionBreaks(items) {
  const breaks = [];
  for (let i = 1; i < items.length; i++) {
    const start = sessionStart(items[i].at);
    if (start !== null && start > items[i - 1].at) breaks.push({row: i, start});
  }
  return breaks;
}

/** The baseline of row i's label, rows starting at top. */
function rowY(top, i) {
  return top + ROW * i + ROW / 2 + 4;
}

/** `times`: each row's time (rowTimes); `breaks`: the rows that begin another session (sessionBreaks). */
function draw(items, opts, part, times, breaks) {
  const lanes = lanesFor(items);
  const gutter = gutterFor(times);
  const avail = Math.max(0, (opts.width || 800) - gutter - 20);
  const laneW = Math.max(MIN_LANE, lanes.length ? avail / lanes.length : MIN_LANE);
  const x = new Map(lanes.map((id, i) => [id, gutter + laneW * i + laneW / 2]));
  const width = gutter + laneW * lanes.length + 20;
  const top = part === 'body' ? BODY_TOP : HEAD;
  const height = part === 'head' ? HEAD - 8 : top + ROW * items.length + 16;
  const svg = s('svg', {class: 'sequence', width, height, viewBox: `0 0 ${width} ${height}`,
    xmlns: 'http://www.w3.org/2000/svg', role: 'img', 'aria-label': 'Sequence diagram of the selected stanzas'});
  if (opts.standalone) svg.appendChild(s('style', null, STANDALONE_CSS));
  svg.appendChild(s('defs', null, Object.entries(ARROW_COLOURS).map(([cls, colour]) =>
    s('marker', {id: `arr-${cls}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto'},
      s('path', {d: 'M 0 0 L 10 5 L 0 10 z', fill: colour})))));
  svg.appendChild(s('rect', {x: 0, y: 0, width, height, fill: '#ffffff'}));

  for (const id of lanes) {
    const cx = x.get(id);
    if (part !== 'head') svg.appendChild(s('line', {class: 'lifeline', x1: cx, y1: top - 8, x2: cx, y2: height - 6}));
    if (part === 'body') continue;
    const label = nodeLabel(id);
    const boxW = Math.min(laneW - 12, 190);
    svg.appendChild(s('g', {class: `lane-head ${nodeKind(id)}`},
      s('title', null, label),
      s('rect', {x: cx - boxW / 2, y: 8, width: boxW, height: 26, rx: 6}),
      s('text', {x: cx, y: 25, 'text-anchor': 'middle'}, truncateMiddle(label, Math.floor(boxW / 6.3)))));
  }
  if (part === 'head') return svg;

  // on screen, the times column over the rows carries the label; a drawing for export has its times inline
  breaks.forEach(({row, start}) => svg.appendChild(sessionBreak(top + ROW * row, width, start, part === 'all')));
  items.forEach((st, i) => {
    const y = rowY(top, i);
    const [from, to] = endpoints(st.connection, st.direction);
    const x1 = x.get(from), x2 = x.get(to);
    const row = s('g', {class: `row ${kindClass(st)}${opts.selected === st.ref ? ' selected' : ''}`, 'data-ref': st.ref});
    row.appendChild(s('title', null, `${st.ref}  ${st.from || ''} → ${st.to || ''}\n${st.summary || ''}`));
    row.appendChild(s('rect', {class: 'hit', x: 0, y: y - ROW / 2 - 4, width, height: ROW}));
    if (part === 'all') row.appendChild(s('text', {class: 't', x: 6, y: y + 4}, times[i]));
    const dir = x2 >= x1 ? 1 : -1;
    row.appendChild(s('line', {x1: x1 + dir * 4, y1: y + 6, x2: x2 - dir * 4, y2: y + 6, 'marker-end': `url(#arr-${kindClass(st)})`}));
    const span = Math.abs(x2 - x1);
    const chars = Math.max(12, Math.floor(Math.max(span, laneW) / 6.2));
    const cut = truncate(arrowLabel(st), chars);
    const label = s('text', {class: 'lbl', x: (x1 + x2) / 2, y: y + 1, 'text-anchor': 'middle'}, cut);
    if (part === 'body') { // for placeLabels, on screen only: the label as recorded, as it fits its arrow, and as shown so
      label.dataset.full = arrowLabel(st);
      label.dataset.cut = cut;
      label.dataset.fit = label.textContent;
    }
    row.appendChild(label);
    if (opts.onClick) row.addEventListener('click', () => opts.onClick(st));
    svg.appendChild(row);
  });
  return svg;
}

const STANDALONE_CSS = `
text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.lane-head rect { fill: #f4f7fa; stroke: #c9d1da; } .lane-head.server rect { fill: #e8f0fa; stroke: #a9c2e2; }
.lane-head text { font-size: 11px; fill: #1d2733; } .lifeline { stroke: #cfd6de; stroke-dasharray: 3 4; }
.hit { fill: transparent; } .row line { stroke-width: 1.4; } .lbl { font-size: 11px; }
.t { font-size: 10px; fill: #6b7785; font-family: "DejaVu Sans Mono", monospace; }
.k-message line { stroke: #2563a6; } .k-message .lbl { fill: #1c4f86; }
.k-presence line { stroke: #3d8b6a; } .k-presence .lbl { fill: #2c6b50; }
.k-iq line { stroke: #8a5fb5; } .k-iq .lbl { fill: #6a448f; }
.k-nonza line { stroke: #7b8794; stroke-dasharray: 4 3; } .k-nonza .lbl { fill: #5b6672; }
.k-error line { stroke: #cf4338; } .k-error .lbl { fill: #a3271e; }
.session-break line { stroke: #b45309; stroke-width: 1.5; stroke-dasharray: 8 4; }
.session-break rect { fill: #ffffff; stroke: #b45309; } .session-break text { font-size: 9px; fill: #b45309; font-family: "DejaVu Sans Mono", monospace; }
.ctl { fill: #b42318; font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; }`;

/** The same selection as Mermaid sequenceDiagram text (labels stripped of Mermaid syntax and HTML). */
export function toMermaid(items) {
  const lanes = lanesFor(items);
  const alias = new Map(lanes.map((id, i) => [id, `P${i}`]));
  const lines = ['sequenceDiagram'];
  for (const id of lanes) lines.push(`    participant ${alias.get(id)} as ${mermaidText(reveal(nodeLabel(id)))}`);
  for (const st of items) {
    const [from, to] = endpoints(st.connection, st.direction);
    const arrow = kindClass(st) === 'k-nonza' ? '-->>' : '->>';
    lines.push(`    ${alias.get(from)}${arrow}${alias.get(to)}: ${mermaidText(reveal(truncate(arrowLabel(st), 90)))}`);
  }
  return lines.join('\n') + '\n';
}

function mermaidText(t) {
  return String(t).replace(/[\r\n]+/g, ' ').replace(/[;#]/g, ' ').replace(/</g, '‹').replace(/>/g, '›')
    .replace(/[{}]/g, ' ').replace(/%%/g, '%').trim() || '-';
}
