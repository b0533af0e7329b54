// DOM helpers. Everything from the wire becomes a text node or an attribute value set through
// setAttribute: nothing here ever parses a string as HTML.

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

function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'href') {
      el.setAttribute('href', safeHref(v));
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
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
  const ms = nanos / 1e6;
  if (ms < 1) return `${Math.round(nanos / 1e3)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
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
  return nanos < 0 ? `−${duration(-nanos)}` : `+${duration(nanos) || '0'}`;
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

export function truncate(str, n) {
  if (!str) return '';
  return str.length > n ? str.slice(0, n - 1) + '…' : str;
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
