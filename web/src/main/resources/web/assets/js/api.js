// The JSON API the UI shares with scripts (see the README's API reference).

async function getJson(path) {
  const res = await fetch(path, {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try { message = (await res.json()).error || message; } catch (e) { /* body was not JSON */ }
    const err = new Error(message);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

async function post(path) {
  const res = await fetch(path, {method: 'POST', credentials: 'same-origin'});
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.status === 204 ? null : res.json().catch(() => null);
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const str = q.toString();
  return str ? `?${str}` : '';
}

export const api = {
  // with {changedSince: VERSION}: what changed since the answer that gave VERSION (0: everything), and the next VERSION
  graph: (params = {}) => getJson(`/api/graph${query(params)}`),
  capture: () => getJson('/api/capture'),
  connections: (params = {}) => getJson(`/api/connections${query(params)}`),
  connection: (id) => getJson(`/api/connections/${encodeURIComponent(id)}`),
  negotiation: (id) => getJson(`/api/connections/${encodeURIComponent(id)}/negotiation`),
  stanzas: (params) => getJson(`/api/stanzas${query(params)}`),
  stanza: (ref) => getJson(`/api/stanzas/${encodeURIComponent(ref)}`),
  route: (ref) => getJson(`/api/routes/${encodeURIComponent(ref)}`),
  replay: () => getJson('/api/replay'),
  diffs: () => getJson('/api/diffs'),
  diff: (id) => getJson(`/api/diffs/${encodeURIComponent(id)}`),
  replayCommand: (what, params = {}) => post(`/api/replay/${what}${query(params)}`),
};
