// Replay controls, shown only when the server replays a capture (GET /api/replay answers 200):
// play/pause, step, speed 0.1–100×, seek, and the narration of the current moment.

import {api} from './api.js';
import {$, h, duration, setText} from './dom.js';

export class ReplayControls {
  constructor() {
    this.state = null;
    this.seeking = false;
  }

  async start() {
    try {
      this.state = await api.replay();
    } catch (e) {
      return; // the server is gone or failing: no controls
    }
    if (this.state.state === 'none') return; // not a replay: the controls stay hidden
    $('replay').hidden = false;
    $('replay-play').addEventListener('click', () => this.command(this.state?.state === 'playing' ? 'pause' : 'play'));
    $('replay-step').addEventListener('click', () => this.command('step'));
    $('replay-speed').addEventListener('change', (e) => this.command('speed', {value: e.target.value}));
    const seek = $('replay-seek');
    seek.addEventListener('input', () => { this.seeking = true; this.showPosition(this.positionFromSlider()); });
    seek.addEventListener('change', () => {
      this.seeking = false;
      const at = this.positionFromSlider();
      this.command('seek', {at: String(BigInt(Math.round(this.state.start)) + BigInt(Math.round(at)))});
    });
    this.render();
    setInterval(() => this.poll(), 500);
  }

  positionFromSlider() {
    const span = Math.max(1, this.state.end - this.state.start);
    return Number($('replay-seek').value) / 1000 * span;
  }

  async command(what, params) {
    try {
      await api.replayCommand(what, params);
    } finally {
      this.poll();
    }
  }

  async poll() {
    try {
      this.state = await api.replay();
      this.render();
    } catch (e) {
      $('replay-position').textContent = 'replay unavailable';
    }
  }

  render() {
    const st = this.state;
    if (!st) return;
    $('replay-play').textContent = st.state === 'playing' ? 'Pause' : 'Play';
    const speed = $('replay-speed');
    if (document.activeElement !== speed) {
      const value = String(st.speed);
      if (![...speed.options].some((o) => o.value === value)) {
        speed.appendChild(h('option', {value}, `${value}×`)); // a speed set from the command line
      }
      speed.value = value;
    }
    const span = Math.max(1, st.end - st.start);
    if (!this.seeking) {
      $('replay-seek').value = String(Math.round((st.position - st.start) / span * 1000));
      this.showPosition(st.position - st.start);
    }
    const narration = $('narration');
    const text = st.annotation && st.annotation.text;
    narration.hidden = !text;
    setText(narration, text || '');
  }

  showPosition(offset) {
    const st = this.state;
    $('replay-position').textContent = `${duration(offset) || '0'} / ${duration(st.end - st.start)}${st.state === 'ended' ? ' · ended' : ''}`;
  }
}
