// Pretty-prints recorded XML with highlighting. A tolerant tokenizer (not a DOM parse): stream
// headers stay unclosed, prefixes may be undeclared, bytes may be cut — it still renders, and
// every token becomes a text node.

import {h, textOf} from './dom.js';

const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<\/?[^<>]*>?|[^<]+/g;
const ATTR = /([^\s=/>]+)(\s*=\s*)("[^"]*"?|'[^']*'?)?/g;

/** Returns a <pre> with the XML indented and coloured. */
export function renderXml(xml) {
  const pre = h('pre', {class: 'xml'});
  let depth = 0;
  let lastWasText = false;
  let first = true;
  const indent = () => '  '.repeat(Math.max(0, depth));
  const newline = () => {
    if (!first) pre.appendChild(document.createTextNode('\n'));
    pre.appendChild(document.createTextNode(indent()));
    first = false;
  };
  const span = (cls, text) => pre.appendChild(h('span', {class: cls}, text));

  for (const token of xml.match(TOKEN) || []) {
    if (token.startsWith('<!--') || token.startsWith('<![CDATA[') || token.startsWith('<?')) {
      newline();
      span('x-comment', token);
      lastWasText = false;
    } else if (token.startsWith('</')) {
      depth--;
      if (!lastWasText) newline();
      span('x-punct', '</');
      span('x-tag', token.slice(2, token.endsWith('>') ? -1 : undefined));
      span('x-punct', '>');
      lastWasText = false;
    } else if (token.startsWith('<')) {
      newline();
      renderTag(token, span, pre);
      const selfClosing = token.endsWith('/>');
      if (!selfClosing) depth++;
      lastWasText = false;
    } else {
      const text = token.trim();
      if (!text) continue;
      if (!lastWasText && pre.lastChild && /x-punct/.test(pre.lastChild.className || '') && pre.lastChild.textContent === '>') {
        // text right after its opening tag stays on the same line
      } else {
        newline();
      }
      span('x-text', text);
      lastWasText = true;
    }
  }
  return pre;
}

function renderTag(token, span, pre) {
  const closed = token.endsWith('>');
  const selfClosing = token.endsWith('/>');
  const inner = token.slice(1, selfClosing ? -2 : closed ? -1 : undefined);
  const nameMatch = /^[^\s/>]+/.exec(inner);
  const name = nameMatch ? nameMatch[0] : '';
  span('x-punct', '<');
  span('x-tag', name);
  const rest = inner.slice(name.length);
  let last = 0;
  ATTR.lastIndex = 0;
  let m;
  while ((m = ATTR.exec(rest)) !== null) {
    if (m.index > last) pre.appendChild(textOf(rest.slice(last, m.index).replace(/\s+/g, ' ')));
    span('x-attr', m[1]);
    if (m[2]) span('x-punct', '=');
    if (m[3]) span('x-val', m[3]);
    last = m.index + m[0].length;
  }
  if (last < rest.length) pre.appendChild(textOf(rest.slice(last).replace(/\s+/g, ' ')));
  if (closed) span('x-punct', selfClosing ? '/>' : '>');
}

/** A classic hex dump (offset, 16 bytes, ASCII) of the element's UTF-8 bytes. */
export function hexDump(text) {
  const data = new TextEncoder().encode(text);
  const lines = [];
  for (let i = 0; i < data.length; i += 16) {
    const row = data.slice(i, i + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${i.toString(16).padStart(6, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
