// Replay diffs (xmppscope replay --db, then open): for each step of a replayed session, the
// recorded answer beside the live server's answer, differences highlighted, both stanzas linked
// to the inspector. Shown only when GET /api/diffs lists something. Text from the wire goes
// into text nodes only (h()).

import {api} from './api.js';
import {$, h, clear, isoTime} from './dom.js';

export class DiffsView {
  async start() {
    let list;
    try {
      list = (await api.diffs()).items;
    } catch (e) {
      return; // the server is gone or failing: the view stays hidden
    }
    if (!list.length) return;
    this.list = list;
    const nav = $('nav-diffs');
    nav.hidden = false;
    nav.textContent = `Replay diffs (${list.length})`;
    nav.addEventListener('click', () => this.open());
    $('diffs-close').addEventListener('click', () => $('diffs-dialog').close());
    const pick = $('diffs-pick');
    for (const d of list) {
      pick.appendChild(h('option', {value: String(d.id)},
        `#${d.id}: connection ${d.recordedConnection} vs ${d.replayedConnection} — ${d.changedSteps} of ${d.steps} steps differ`));
    }
    pick.addEventListener('change', () => this.show(pick.value));
    // following a stanza link leaves the dialog for the inspector
    $('diffs-dialog').addEventListener('click', (e) => {
      if (e.target.closest('a[data-link]')) $('diffs-dialog').close();
    });
  }

  async open() {
    $('diffs-dialog').showModal();
    await this.show($('diffs-pick').value);
  }

  async show(id) {
    const body = clear($('diffs-body'));
    let d;
    try {
      d = await api.diff(id);
    } catch (e) {
      body.appendChild(h('p', {class: 'muted'}, `cannot load replay diff ${id}: ${e.message}`));
      return;
    }
    $('diffs-summary').textContent = `re-sent to ${d.target} at ${isoTime(d.at)}: `
      + (d.changes ? `${d.steps.filter((s) => s.change !== 'same').length} of ${d.steps.length} steps differ`
        + ` (${d.changes} answers recorded or given only once)` : 'the server answered exactly as recorded');
    const notes = clear($('diffs-notes'));
    for (const n of d.notes) notes.appendChild(h('li', null, n));
    const table = h('table', {class: 'grid diff-table', id: 'diff-table'},
      h('thead', null, h('tr', null,
        h('th', {class: 'num'}, '#'),
        h('th', null, `recorded (connection ${d.recordedConnection})`),
        h('th', null, `replayed (connection ${d.replayedConnection})`))),
      h('tbody', null, d.steps.map((s, i) => row(s, i))));
    body.appendChild(table);
  }
}

function row(s, i) {
  return h('tr', {class: `diff-${s.change}`, 'data-change': s.change},
    h('td', {class: 'num'}, String(i + 1)),
    cell(s.recorded, s.replayed, s.recordedRef, s.change),
    cell(s.replayed, s.recorded, s.replayedRef, s.change));
}

/** One side: its shape, the tokens the other side lacks marked, and a link to the stanza. */
function cell(shape, other, ref, change) {
  if (shape === null || shape === undefined) {
    return h('td', {class: 'diff-none muted'}, change === 'added' ? 'not recorded' : 'no answer now');
  }
  const theirs = new Set(other ? other.split(' ') : []);
  const tokens = shape.split(' ').map((t, k) => [k ? ' ' : '', change !== 'same' && !theirs.has(t) ? h('mark', null, t) : t]);
  return h('td', {class: 'mono'},
    ref ? h('a', {href: `/stanzas/${encodeURIComponent(ref)}`, 'data-link': true, class: 'diff-ref', title: 'Open in the inspector'}, ref) : null,
    ref ? ' ' : null,
    h('span', {class: 'diff-shape'}, tokens));
}
