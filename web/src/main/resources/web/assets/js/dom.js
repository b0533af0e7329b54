// DOM helpers. Everything from the wire becomes a text node or an attribute value set through
// setAttribute: nothing here ever parses a string as HTML. Invisible controls in that text (a
// right-to-left override makes "gnp.exe" read "exe.png") are shown as markers ("⟨U+202E⟩").

/** h('div', {class: 'x'}, 'text', child) → an element; string children become text nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

// attributes people read: a tooltip shows its text as it is, controls and all
const READ_ATTRS = new Set(['title', 'aria-label']);

function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'href') {
      el.setAttribute('href', safeHref(v));
    } else {
      el.setAttribute(k, v === true ? '' : READ_ATTRS.has(k) ? reveal(String(v)) : String(v));
    }
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : textOf(String(c), el instanceof SVGElement));
  }
}

/** Replaces what `el` shows with `str`, invisible controls made visible as in h() and s(). */
export function setText(el, str) {
  clear(el).appendChild(textOf(String(str ?? ''), el instanceof SVGElement));
  return el;
}

// ---- invisible characters -----------------------------------------------------------------

// Characters that change how text reads without showing themselves: C0 controls (but tab and
// newline), DEL and C1, the Arabic letter mark, the zero-width space, non-joiner and joiner, the
// left-to-right and right-to-left marks, the line and paragraph separators, the bidi embeddings
// and overrides (U+202A–202E), the word joiner and invisible operators (U+2060–2064), the isolates
// (U+2066–2069) and the zero-width no-break space (U+FEFF, a byte order mark): "al\u200Bice" must
// not pass for "alice". A joiner is left alone where it shows: between two emoji it makes one
// ("👩‍💻"), and a joiner or non-joiner between two letters of a script whose letters join (Arabic,
// Persian, the Indic scripts) changes their shapes. The CLI prints them escaped ("\u202e").
const JOINING = '[\\p{Script=Arabic}\\p{Script=Syriac}\\p{Script=Nko}\\p{Script=Mongolian}\\p{Script=Devanagari}'
  + '\\p{Script=Bengali}\\p{Script=Gurmukhi}\\p{Script=Gujarati}\\p{Script=Oriya}\\p{Script=Tamil}\\p{Script=Telugu}'
  + '\\p{Script=Kannada}\\p{Script=Malayalam}\\p{Script=Sinhala}\\p{Mn}]';
const EMOJI = '\\p{Extended_Pictographic}';
const INVISIBLE_SOURCE = '[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200B\\u200E\\u200F\\u2028-\\u202E'
  + '\\u2060-\\u2064\\u2066-\\u2069\\uFEFF]'
  + `|\\u200C(?!(?<=${JOINING}\\u200C)${JOINING})`
  + `|\\u200D(?!(?<=${EMOJI}[\\uFE0F\\p{Emoji_Modifier}]?\\u200D)${EMOJI}|(?<=${JOINING}\\u200D)${JOINING})`;
const INVISIBLE = new RegExp(INVISIBLE_SOURCE, 'u');
const INVISIBLE_ALL = new RegExp(INVISIBLE_SOURCE, 'gu');
const CONTROL_NAMES = {
  0x061c: 'ARABIC LETTER MARK', 0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK', 0x200f: 'RIGHT-TO-LEFT MARK', 0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE', 0x2060: 'WORD JOINER', 0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES', 0x2063: 'INVISIBLE SEPARATOR', 0x2064: 'INVISIBLE PLUS', 0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/** How an invisible control is shown: "⟨U+202E⟩". */
export function marker(c) {
  return `⟨U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** `str` with its invisible controls as markers, for plain text: a canvas, an attribute, an export. */
export function reveal(str) {
  if (str === null || str === undefined) return '';
  return String(str).replace(INVISIBLE_ALL, marker);
}

/** A text node, or where `str` holds invisible controls, text with each control as a marker in its own span (tspan in SVG). */
export function textOf(str, svg = false) {
  if (!INVISIBLE.test(str)) return document.createTextNode(str);
  const out = document.createDocumentFragment();
  let last = 0;
  for (const m of str.matchAll(INVISIBLE_ALL)) {
    if (m.index > last) out.appendChild(document.createTextNode(str.slice(last, m.index)));
    const code = m[0].codePointAt(0);
    const name = CONTROL_NAMES[code] || 'control character';
    const mark = svg ? document.createElementNS(SVG_NS, 'tspan') : document.createElement('span');
    mark.setAttribute('class', 'ctl');
    if (!svg) mark.setAttribute('title', `${name}: invisible on the wire, shown here so the text reads as sent`);
    mark.textContent = marker(m[0]);
    out.appendChild(mark);
    last = m.index + m[0].length;
  }
  if (last < str.length) out.appendChild(document.createTextNode(str.slice(last)));
  return out;
}

/** Only our own paths and the API are ever linked to. */
export function safeHref(v) {
  const str = String(v);
  return str.startsWith('/') && !str.startsWith('//') ? str : '#';
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function $(id) {
  return document.getElementById(id);
}

// ---- formatting -------------------------------------------------------------------------

/** Nanoseconds since the epoch → "12:34:56.789". */
export function clock(nanos) {
  if (nanos === null || nanos === undefined) return '';
  const d = new Date(nanos / 1e6);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function isoTime(nanos) {
  return nanos === null || nanos === undefined ? '' : new Date(nanos / 1e6).toISOString();
}

/** A duration in nanoseconds → "850 µs", "12.3 ms", "4.20 s", "3 min 2 s", "5 h 10 min", "3 d 4 h". */
export function duration(nanos) {
  if (nanos === null || nanos === undefined) return '';
  // the unit is chosen after rounding: 999.7 µs reads "1.00 ms", not "1000 µs"
  const us = Math.round(nanos / 1e3);
  if (us < 1000) return `${us} µs`;
  const ms = nanos / 1e6;
  if (ms < 999.95) return `${ms < 9.995 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
  const sec = ms / 1000;
  if (sec < 120) return `${sec.toFixed(2)} s`;
  const s = Math.round(sec); // a message held for an offline user: hours or days
  if (s < 2 * 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor(s % 86400 / 3600)} h`;
}

/**
 * How long after a reference time: "+850 µs", "+0"; "−2.30 ms" before it (a live analysis may list
 * a stanza a little out of time order).
 */
export function since(nanos) {
  if (Math.abs(nanos) < 500) return '+0'; // the start itself (a JS number holds epoch nanoseconds to ~256 ns)
  return nanos < 0 ? `−${duration(-nanos)}` : `+${duration(nanos)}`;
}

/**
 * Like {@link since}, but to the millisecond however far: "+9.37 s", then "+25:03.120",
 * "+1:25:03.120". Rows of a timeline long in progress all read "+25 min 3 s" in words.
 */
export function elapsed(nanos) {
  if (Math.abs(nanos) < 120e9) return since(nanos);
  const total = Math.round(Math.abs(nanos) / 1e6);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  const ms = pad(total % 1000, 3), s = pad(Math.floor(total / 1000) % 60), m = Math.floor(total / 60000) % 60;
  const h = Math.floor(total / 3600000);
  return `${nanos < 0 ? '−' : '+'}${h ? `${h}:${pad(m)}` : m}:${s}.${ms}`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// ---- cutting text to fit ---------------------------------------------------------------

const GRAPHEMES = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, {granularity: 'grapheme'}) : null;

/**
 * `str` as what a reader sees as characters: grapheme clusters (a flag, an emoji with its skin
 * tone, a letter with its accents) where the browser can tell them, else code points. Never a
 * half of a surrogate pair.
 */
export function graphemes(str) {
  return GRAPHEMES ? Array.from(GRAPHEMES.segment(str), (g) => g.segment) : Array.from(str);
}

/** How many letters a grapheme takes once shown: an invisible control takes its marker's. */
function widthOf(g) {
  if (!INVISIBLE.test(g)) return 1;
  const visible = g.replace(INVISIBLE_ALL, '');
  return (visible ? 1 : 0) + Array.from(g.matchAll(INVISIBLE_ALL), (m) => marker(m[0]).length).reduce((a, b) => a + b, 0);
}

/** Takes graphemes of `gs` (from the end with `fromEnd`) while they fit in `room` letters. */
function take(gs, room, fromEnd = false) {
  const out = [];
  let used = 0;
  for (let i = 0; i < gs.length; i++) {
    const g = gs[fromEnd ? gs.length - 1 - i : i];
    used += widthOf(g);
    if (used > room) break;
    out.push(g);
  }
  return (fromEnd ? out.reverse() : out).join('');
}

/** Whether `str` fits `n` letters for sure without segmenting it (most labels): no grapheme is shorter than a code unit. */
function fits(str, n) {
  const text = String(str);
  return text.length <= n && !INVISIBLE.test(text);
}

function shownWidth(gs) {
  return gs.reduce((n, g) => n + widthOf(g), 0);
}

/**
 * `str` cut to `n` letters as shown (an invisible control counts as its marker), ending in "…";
 * cut between graphemes, so an emoji or a flag is kept whole or left out.
 */
export function truncate(str, n) {
  if (!str) return '';
  if (fits(str, n)) return String(str);
  const gs = graphemes(String(str));
  return shownWidth(gs) > n ? take(gs, n - 1) + '…' : String(str);
}

/**
 * Like {@link truncate}, but cut in the middle, keeping the end: for JIDs, where the resource
 * tells two of one user's devices apart ("alice@a.ex…/laptop"). The end kept is the resource,
 * or as much of it as half the room holds; a JID without one keeps its last third.
 */
export function truncateMiddle(str, n) {
  if (!str) return '';
  if (fits(str, n)) return String(str);
  const gs = graphemes(String(str));
  if (shownWidth(gs) <= n) return String(str);
  const slash = gs.indexOf('/');
  const tail = slash > 0 ? shownWidth(gs.slice(slash)) : Math.floor((n - 1) / 3);
  const end = take(gs, Math.min(tail, Math.ceil((n - 1) / 2)), true);
  return take(gs, n - 1 - shownWidth(graphemes(end))) + '…' + end;
}

export function toast(message) {
  const t = h('div', {class: 'toast'}, message);
  document.body.appendChild(t);
  setTimeout(() => t.remove(), 1600);
}

/** Copies text to the clipboard (falls back to a hidden textarea where the API is missing). */
export async function copyText(text, what = 'Copied') {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    const ta = h('textarea', {class: 'offscreen'});
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
  toast(what);
}

/** Offers `content` as a file download (a Blob URL, no server round trip). */
export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], {type}));
  const a = h('a', {download: filename});
  a.setAttribute('href', url);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 2000);
}
