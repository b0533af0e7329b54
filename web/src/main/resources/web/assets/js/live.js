// The WebSocket to /api/live: reconnects on its own and reports its state in the top bar.

import {$} from './dom.js';

// what the top bar says while connected: a stored capture is not live, though its socket is open
let connectedText = 'live';
let connected = false;

/** Says `text` instead of "live" while connected (a stored capture: nothing arrives). */
export function describeConnected(text) {
  connectedText = text;
  if (connected) setStatus('live', connectedText);
}

export function connectLive(onMessage, onOpen) {
  let delay = 500;
  const open = () => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`);
    ws.addEventListener('open', () => {
      delay = 500;
      connected = true;
      setStatus('live', connectedText);
      onOpen();
    });
    ws.addEventListener('message', (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch (err) { return; }
      onMessage(msg);
    });
    ws.addEventListener('close', () => {
      connected = false;
      setStatus('down', 'offline — retrying');
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 8000);
    });
  };
  open();
}

function setStatus(cls, text) {
  const dot = $('live-dot');
  dot.className = `dot ${cls}`;
  $('live-text').textContent = text;
}
