// The right-hand pane: one stanza (XML, labels, route, IQ partner, raw bytes) or one stream
// (identity, counts, and its negotiation as a checklist).

import {api} from './api.js';
import {$, h, clear, clock, isoTime, duration, since, bytes, copyText} from './dom.js';
import {renderXml, hexDump} from './xmlview.js';
import {store, nodeLabel, sinceStart, kindInferred} from './store.js';
import {routeRows} from './routetree.js';

/** Characters of an element's XML the inspector draws; Copy takes all of it. */
const MAX_SHOWN = 100_000;

export class Inspector {
  constructor({navigate, animateRoute, showStream, filterTimeline}) {
    this.el = $('inspector');
    this.emptyTemplate = this.el.firstElementChild.cloneNode(true);
    this.navigate = navigate;
    this.animateRoute = animateRoute;
    this.showStream = showStream;
    this.filterTimeline = filterTimeline;
    this.current = null;
    this.exportable = false; // set once the capture says it can be downloaded
  }

  showEmpty() {
    this.current = null;
    clear(this.el).appendChild(this.emptyTemplate.cloneNode(true));
  }

  /** Shows a stanza; resolves to its details, or to null if it could not (or another was picked meanwhile). */
  async showStanza(ref) {
    this.current = {stanza: ref};
    let d;
    try {
      d = await api.stanza(ref);
    } catch (e) {
      this.showProblem(`Stanza ${ref}`, e);
      return null;
    }
    if (this.current?.stanza !== ref) return null;
    clear(this.el);
    const link = `${location.origin}/stanzas/${encodeURIComponent(ref)}`;
    this.el.appendChild(h('div', {class: 'insp-head', id: 'stanza-head'},
      h('h2', null, h('span', {class: `kind ${d.kind}`}, d.kind), d.type ? h('span', {class: 'muted'}, d.type) : null,
        h('span', {class: 'mono muted'}, d.ref)),
      h('div', {class: 'summary'}, d.summary || ''),
      h('div', {class: 'insp-actions'},
        h('button', {type: 'button', disabled: d.xml == null, onclick: () => copyText(d.xml, 'XML copied')}, 'Copy XML'),
        h('button', {type: 'button', onclick: () => copyText(link, 'Link copied')}, 'Copy link'),
        h('button', {type: 'button', class: 'subtle', onclick: () => this.showStream(d.connection)}, `Stream #${d.connection} in timeline`))));

    const meta = h('dl', {class: 'meta'});
    const row = (k, v) => { if (v !== null && v !== undefined && v !== '') meta.append(h('dt', null, k), h('dd', null, v)); };
    // a JID or an id narrows the timeline to what shares it: an IQ and its answer, a message's retries
    const filterRow = (k, v, fields, what) => {
      if (!v) return;
      meta.append(h('dt', null, k), h('dd', null, v, ' ', h('button', {type: 'button', class: 'subtle filter', 'data-filter': k,
        title: `Show only the stanzas ${what} in the timeline`, onclick: () => this.filterTimeline(fields, d)}, 'filter')));
    };
    filterRow('from', d.from, {jid: d.from}, 'from or to this JID');
    filterRow('to', d.to, {jid: d.to}, 'from or to this JID');
    filterRow('id', d.id, {id: d.id}, 'with this id');
    meta.append(h('dt', null, 'time'), h('dd', {id: 'stanza-time'}, captureTime(d.at)));
    meta.append(h('dt', null, 'stream'), h('dd', null,
      h('a', {href: `/connections/${d.connection}`, 'data-link': true}, `#${d.connection}`),
      ` ${streamWay(store.connections.get(d.connection)?.kind, d.direction === 'toServer')}`));
    row('size', `${d.size} bytes at offset ${d.offset}`);
    if (d.parseStatus && d.parseStatus !== 'ok') row('parse', d.parseStatus);
    this.el.appendChild(section('Stanza', meta));

    if (d.error) {
      this.el.appendChild(section('Error', h('div', {class: 'bad'}, h('b', null, d.error), d.errorMeaning ? `: ${d.errorMeaning}` : null)));
    }
    if ((d.labels || []).length || (d.namespaces || []).length) {
      this.el.appendChild(section('Protocols',
        h('div', {class: 'labels'}, (d.labels || []).map((l) => h('span', {class: 'label'}, l))),
        (d.namespaces || []).length ? h('div', {class: 'muted mono', style: null}, (d.namespaces || []).join('  ')) : null));
    }
    if (d.iqPartner || d.unanswered) this.el.appendChild(this.partnerSection(d));
    if (d.carries) {
      this.el.appendChild(section('Carries', h('div', null, 'The message it carries, as first recorded: ',
        h('a', {href: `/stanzas/${encodeURIComponent(d.carries)}`, 'data-link': true, id: 'carried-original'}, d.carries))));
    }
    this.el.appendChild(this.routeSection(d));
    if (d.xml == null) {
      // indexed by its place in the capture's payload file, which has gone or been cut short since
      this.el.appendChild(section('XML', h('div', {class: 'bad', id: 'stanza-xml-missing'},
        'This stanza\'s XML is no longer in the capture\'s payload file (the file was moved, deleted or cut short'
        + ' after the analysis). What is shown above comes from the analysis.')));
      return d;
    }
    const xml = d.xml;
    // a roster or an archive page can be megabytes: drawn whole, its XML took the page 20 s
    // and a million elements; the start is drawn, Copy takes it all
    const shown = xml.length > MAX_SHOWN ? xml.slice(0, MAX_SHOWN) : xml;
    const pretty = renderXml(shown);
    pretty.id = 'stanza-xml';
    const cut = shown.length < xml.length
      ? h('div', {class: 'muted', id: 'stanza-xml-cut'}, `The first ${shown.length.toLocaleString()} of ${xml.length.toLocaleString()}`
        + ' characters are shown; Copy takes the whole element.')
      : null;
    this.el.appendChild(section(['XML', h('span', {class: 'spacer'}),
      h('button', {type: 'button', class: 'subtle', onclick: () => copyText(xml, 'XML copied')}, 'Copy')], pretty, cut));
    // the dump is made when it is opened, of as much as is shown above
    const hex = h('pre', {class: 'hex'});
    const details = h('details', null, h('summary', null, `${new TextEncoder().encode(xml).length} bytes as recorded`
      + (cut ? `; the dump shows those of the first ${shown.length.toLocaleString()} characters` : '')), hex);
    details.addEventListener('toggle', () => {
      if (details.open && !hex.textContent) hex.textContent = hexDump(shown);
    });
    this.el.appendChild(section(['Raw bytes (UTF-8)', h('span', {class: 'spacer'}),
      h('button', {type: 'button', class: 'subtle', onclick: () => copyText(hexDump(xml), 'Hex copied')}, 'Copy hex')],
    details));
    return d;
  }

  /** An IQ's request or answer; a message's or presence's bounce, or what an error bounces. */
  partnerSection(d) {
    const link = d.iqPartner
      ? h('a', {href: `/stanzas/${encodeURIComponent(d.iqPartner)}`, 'data-link': true, id: 'iq-partner'}, d.iqPartner) : null;
    const after = d.iqRttNanos !== null ? duration(d.iqRttNanos) : null;
    if (d.kind === 'iq') {
      return section('IQ partner', link
        ? h('div', null, link, after ? h('span', {class: 'muted'}, `  answered after ${after}`) : null)
        : h('div', {class: 'warn'}, 'This request was never answered.'));
    }
    return section('Bounce', d.type === 'error'
      ? h('div', null, 'The error that came back for ', link)
      : h('div', {class: 'warn'}, 'Bounced: ', link, after ? ` came back after ${after}` : null));
  }

  routeSection(d) {
    const r = d.route;
    if (!r || !r.hops || r.hops.length === 0) {
      // the analysis says why (RouteAbsence): not every stanza can be followed soundly
      return section('Route', h('div', {class: 'muted'}, d.noRoute || 'No other hop matched this one.'));
    }
    const t0 = r.hops[0].at;
    const rows = routeRows(r.hops).map(({index: i, hop, prefix}) => h('tr', {class: hop.stanzaRef === d.ref ? 'selected' : null},
      h('td', {class: 'num'}, String(i + 1)),
      h('td', null, prefix ? h('span', {class: 'tree'}, prefix) : null, nodeLabel(hop.source), ' → ', nodeLabel(hop.target),
        hop.how || hop.to ? h('span', {class: 'muted how'}, ` (${[hop.how, hop.to ? `for ${hop.to}` : null].filter(Boolean).join(' ')})`) : null),
      h('td', null, h('a', {href: `/stanzas/${encodeURIComponent(hop.stanzaRef)}`, 'data-link': true}, `#${hop.connection}`)),
      h('td', {class: 'num mono', title: `${clock(hop.at)} (${isoTime(hop.at)})`}, i === 0 ? '0' : since(hop.at - t0)),
      h('td', {class: 'num mono', title: hop.linkOpened ? `the server had no stream on this link when the stanza reached it: it`
        + ` opened #${hop.connection}, and this includes setting that up (DNS, TLS, dialback)` : null},
      hop.heldNanos === null ? '' : duration(hop.heldNanos), hop.linkOpened ? h('span', {class: 'muted'}, ' opening the link') : null)));
    return section(['Route', h('span', {class: 'muted'}, `${r.hops.length} hops · confidence ${Math.round(r.confidence * 100)}%`),
      h('span', {class: 'spacer'}),
      h('button', {type: 'button', class: 'subtle', onclick: () => this.animateRoute(r, d.kind)}, 'Animate')],
    h('table', {class: 'hops', id: 'route-hops'},
      h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'link'), h('th', null, 'stream'),
        h('th', {class: 'num'}, 'time'), h('th', {class: 'num'}, 'held'))),
      h('tbody', null, rows)),
    r.explanation ? h('div', {class: 'muted'}, r.explanation) : null);
  }

  async showConnection(id) {
    this.current = {connection: id};
    let c, steps;
    try {
      [c, steps] = await Promise.all([api.connection(id), api.negotiation(id)]);
    } catch (e) {
      this.showProblem(`Stream #${id}`, e);
      return;
    }
    if (this.current?.connection !== id) return;
    clear(this.el);
    this.el.appendChild(h('div', {class: 'insp-head', id: 'connection-head'},
      h('h2', null, h('span', {class: `kind`}, c.kind), kindInferred(c), `Stream #${c.id}`, h('span', {class: `state ${c.state}`}, c.state)),
      h('div', {class: 'summary'}, c.jid || [c.streamFrom, c.streamTo].filter(Boolean).join(' → ') || c.route),
      h('div', {class: 'insp-actions'},
        h('button', {type: 'button', onclick: () => this.showStream(c.id)}, 'Show its stanzas'),
        h('button', {type: 'button', class: 'subtle', onclick: () => copyText(`${location.origin}/connections/${c.id}`, 'Link copied')}, 'Copy link'),
        ...this.downloads(c.id))));
    if (c.error) this.el.appendChild(section('What went wrong', h('div', {class: 'bad'}, c.error)));
    if (c.warning) this.el.appendChild(section('What may have gone wrong', h('div', {class: 'warn'}, c.warning)));
    const meta = h('dl', {class: 'meta'});
    const row = (k, v) => { if (v !== null && v !== undefined && v !== '') meta.append(h('dt', null, k), h('dd', null, String(v))); };
    if (c.kindInferred) row('kind', `${c.kind}, inferred: ${c.kindInferred}`);
    row('route', c.route);
    row('TLS', c.tls);
    row('client', c.client);
    row('server', c.server);
    row('bound as', c.jid);
    row('claimed as', c.claimedJid && `${c.claimedJid} (its login or its stanzas' from; no bind seen)`);
    row('header from', c.streamFrom);
    row(c.kindInferred ? 'to' : 'header to', c.streamTo); // an inferred stream's server is named by SNI or its stanzas
    meta.append(h('dt', null, 'opened'), h('dd', {id: 'connection-opened'}, captureTime(c.openedAt)));
    if (c.closedAt) {
      meta.append(h('dt', null, 'closed'), h('dd', null, captureTime(c.closedAt), `, after ${duration(c.closedAt - c.openedAt)}`));
    }
    row('close reason', [c.closeReason, c.closeDetail].filter(Boolean).join(': '));
    row('elements', c.stanzaCount);
    row('bytes', `${bytes(c.bytesIn)} from the client, ${bytes(c.bytesOut)} to it`);
    this.el.appendChild(section('Stream', meta));
    this.el.appendChild(section('Negotiation', negotiationList(steps.items, c.openedAt)));
  }

  /**
   * Links that download this stream alone, when the capture can be exported: the failing login of
   * a bug report, without everybody else's conversations.
   */
  downloads(id) {
    if (!this.exportable) return [];
    // one offer in two formats: they wrap together, ".pcapng" never alone on a line
    return [h('span', {class: 'downloads'},
      h('a', {class: 'button subtle', id: 'export-connection', href: `/api/capture/export?connection=${encodeURIComponent(id)}`,
        download: '', title: "This stream alone, in xmppscope's own format: open it with 'xmppscope open FILE'"}, 'Download .xscap'),
      h('a', {class: 'button subtle', href: `/api/capture/export?format=pcapng&connection=${encodeURIComponent(id)}`,
        download: '', title: 'This stream alone, for Wireshark'}, '.pcapng'))];
  }

  showProblem(what, e) {
    clear(this.el).appendChild(h('div', {class: 'empty'}, h('h2', null, what),
      h('p', null, e.status === 404 ? 'Not in this capture.' : `Could not load it: ${e.message}`)));
  }
}

const ICONS = {ok: '✓', failed: '✗', warning: '!', pending: '…', info: '•'};

/** Which way an element went on a stream of `kind`: an s2s stream has no client (as `show --stanza` says it). */
function streamWay(kind, toServer) {
  if (kind === 's2s') return toServer ? 'initiating → receiving server' : 'receiving → initiating server';
  if (kind === 'component') return toServer ? 'component → server' : 'server → component';
  return toServer ? 'client → server' : 'server → client';
}

/** The negotiation as a checklist: what happened, in order, with times from the stream's start. */
export function negotiationList(steps, openedAt) {
  if (!steps.length) return h('div', {class: 'muted'}, 'No negotiation steps recorded for this stream.');
  return h('ol', {class: 'steps', id: 'negotiation-steps'}, steps.map((st) => h('li', {class: st.status},
    h('span', {class: 'icon', title: st.status}, ICONS[st.status] || '•'),
    h('span', {class: 'title'}, h('span', {class: 'dir'}, st.direction === 'toServer' ? 'C→S' : 'S→C'), st.title),
    h('span', {class: 'time', title: isoTime(st.at)}, since(st.at - openedAt)),
    st.detail || st.stanzaRef ? h('span', {class: 'detail'}, st.detail || '',
      st.stanzaRef ? [' ', h('a', {href: `/stanzas/${encodeURIComponent(st.stanzaRef)}`, 'data-link': true}, 'view element')] : null) : null)));
}

/**
 * A time as the timeline counts it ("+9.37 s", from the capture's start), then dimmer the wall
 * clock and the ISO time it was, so one can be matched with the timeline and the replay's clock.
 */
function captureTime(nanos) {
  const since = sinceStart(nanos);
  const wall = `${clock(nanos)}  (${isoTime(nanos)})`;
  return since === null ? wall : [h('span', {class: 'mono'}, since), '  ', h('span', {class: 'muted wall'}, wall)];
}

function section(title, ...content) {
  return h('div', {class: 'insp-section'}, h('h3', null, title), ...content);
}
