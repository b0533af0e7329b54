// The WebSocket to /api/live: reconnects on its own and reports its state in the top bar.

import {$} from './dom.js';

// what the top bar says while connected: a stored capture is not live, though its socket is open
let connectedText = 'live';
let connected = false;
// where the analysis stands (GET /api/capture's "analysis"): a recording proxy's live one, or an
// opened capture's while it is served; null for neither
let analysis = null;
// whether a recording proxy still records (GET /api/capture's "recording"), or null
let recording = null;
// what the page last failed to load, or null: it stays said until a load succeeds
let failure = null;

/** Says `text` instead of "live" while connected (a stored capture: nothing arrives). */
export function describeConnected(text) {
  connectedText = text;
  if (connected) showConnected();
}

/** Says that the page could not load what it shows (null: it could again). */
export function describeFailure(text) {
  failure = text;
  if (connected) showConnected();
}

/**
 * Says, beside "live", when the proxy's live analysis is paused under a flood or catching up:
 * the timeline then stands still or lags, and the user should know it is not the traffic. For an
 * opened capture, how far its analysis has come, or why it failed: what is shown is not all of it.
 */
export function describeAnalysis(state) {
  analysis = state;
  if (connected) showConnected();
}

/** Says, before anything else, that a recording proxy stopped recording (a write failed: a full disk). */
export function describeRecording(state) {
  recording = state;
  if (connected) showConnected();
}

export function connectLive(onMessage, onOpen) {
  let delay = 500;
  const open = () => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`);
    ws.addEventListener('open', () => {
      delay = 500;
      connected = true;
      showConnected();
      onOpen();
    });
    ws.addEventListener('message', (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch (err) { return; }
      onMessage(msg);
    });
    ws.addEventListener('close', () => {
      connected = false;
      setStatus('down', 'offline — retrying', 'The connection to xmppscope is down; reconnecting');
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 8000);
    });
  };
  open();
}

function showConnected() {
  const newest = analysis ? ` The newest stanza it has seen came ${duration(analysis.behindMillis)} ago.` : '';
  if (recording?.state === 'stopped') {
    setStatus('down', `${connectedText} · recording stopped`,
      `Recording stopped at ${new Date(recording.since).toLocaleTimeString()}: ${recording.reason}. `
      + 'The proxy goes on relaying every connection, but records nothing more; the capture keeps what came before.'
      + (analysis?.state === 'stopped' ? ` Also: ${analysis.reason}.` : ''));
  } else if (failure && analysis?.state !== 'stopped') {
    setStatus('down', failure, 'The page could not load what it shows; it tries again when the live updates reconnect or reset');
  } else if (analysis?.state === 'importing') {
    setStatus('lagging', `${connectedText} · importing: ${analysis.percent}% of ${megabytes(analysis.fileBytes)}`,
      'The file is being imported into a temporary capture database; it is analyzed next, and what is shown '
      + 'grows from then on.');
  } else if (analysis?.state === 'analyzing') {
    setStatus('lagging', `${connectedText} · analyzing: ${analysis.percent}% of ${megabytes(analysis.captureBytes)}`,
      `The capture is being analyzed (${analysis.records} of ${analysis.totalRecords} records); what is shown so far `
      + 'grows as it goes on, and is complete once this is gone.');
  } else if (analysis?.state === 'failed') {
    setStatus('down', `${connectedText} · analysis failed: ${analysis.reason}`,
      `The analysis stopped on this error; what is shown is what was analyzed before it: ${analysis.reason}`);
  } else if (analysis?.importDamage) {
    setStatus('down', `${connectedText} · file damaged, shown up to the damage`,
      `The file was imported up to the damage, and what is shown is what came before it: ${analysis.importDamage}`);
  } else if (analysis?.state === 'stopped') {
    setStatus('down', `${connectedText} · analysis stopped`, analysis.reason);
  } else if (analysis?.state === 'paused') {
    setStatus('lagging', `${connectedText} · analysis paused, ${megabytes(analysis.behindBytes)} behind`,
      `The recording takes in ${megabytes(analysis.intakeBytesPerSecond)}/s, more than the live analysis can follow `
      + `(${megabytes(analysis.followableBytesPerSecond)}/s). Nothing is lost: everything is recorded, and the `
      + `analysis catches up from the capture when the traffic eases.${newest}`);
  } else if (analysis?.state === 'catching-up') {
    const left = analysis.behindBytes < 1e6 ? 'finishing' : `${megabytes(analysis.behindBytes)} to go`;
    setStatus('lagging', `${connectedText} · analysis catching up, ${left}`,
      'The live analysis fell behind the recording and is reading what it missed from the capture; '
      + `the timeline moves again once it has caught up.${newest}`);
  } else {
    setStatus('live', connectedText, 'Live updates over the WebSocket');
  }
}

function duration(ms) {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`;
}

function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

function setStatus(cls, text, title = '') {
  const dot = $('live-dot');
  dot.className = `dot ${cls}`;
  $('live-text').textContent = text;
  dot.parentElement.title = title;
}
