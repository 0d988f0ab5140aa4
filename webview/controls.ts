// Playback controls: play/pause, step, next/previous interesting event, a timeline scrubber over
// virtual time with the event density drawn behind it, speed, and the GOMAXPROCS / seed
// selectors that ask the host to simulate again.
import { h } from './render';
import { button, dropdown, textField, type Dropdown, type TextField } from './toolkit';
import { formatNs } from './model';

export interface ControlActions {
  togglePlay(): void;
  step(delta: number): void;
  stepInteresting(delta: number): void;
  /** Seek to virtual time t (ns). */
  seekTime(t: number): void;
  setSpeed(eventsPerSecond: number): void;
  rerun(opts: { gomaxprocs?: number; seed?: number }): void;
  exportTrace(): void;
}

/** Playback speeds in events per second. */
export const SPEEDS = [1, 2, 5, 10, 25, 60, 250, 1000, 10000] as const;
export const DEFAULT_SPEED = 10;
const SCRUB_STEPS = 1000;

export class Controls {
  readonly el: HTMLElement;
  private readonly play: HTMLElement;
  private readonly playIcon: HTMLElement;
  private readonly scrub: HTMLInputElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly where: HTMLElement;
  private readonly speed: Dropdown;
  private readonly procs: Dropdown;
  private readonly seed: TextField;
  private endTime = 0;
  private density: Uint32Array | null = null;

  constructor(act: ControlActions) {
    this.el = h('div', 'controls');
    this.el.setAttribute('role', 'toolbar');
    this.el.setAttribute('aria-label', 'Playback');
    this.play = button('Play (Space)', 'play', () => act.togglePlay());
    this.play.id = 'play';
    this.playIcon = this.play.firstElementChild as HTMLElement;
    const first = button('First event (Home)', 'debug-restart', () => act.step(-Infinity));
    const prevI = button('Previous interesting event (Shift+←)', 'arrow-left', () => act.stepInteresting(-1));
    const back = button('Step back one event (←)', 'debug-step-back', () => act.step(-1));
    const fwd = button('Step one event (→)', 'debug-step-over', () => act.step(1));
    fwd.id = 'step';
    const nextI = button('Next interesting event (Shift+→)', 'arrow-right', () => act.stepInteresting(1));
    nextI.id = 'next-interesting';
    const last = button('Last event (End)', 'debug-continue', () => act.step(Infinity));

    this.speed = dropdown('Playback speed (events per second)', (v) => act.setSpeed(Number(v)));
    this.speed.setOptions(SPEEDS.map((s) => ({ value: String(s), label: `${s.toLocaleString('en-US')} ev/s` })), String(DEFAULT_SPEED));
    this.speed.el.id = 'speed';
    this.procs = dropdown('GOMAXPROCS: simulate again with this many Ps', (v) => act.rerun({ gomaxprocs: Number(v) }));
    this.procs.el.id = 'procs';
    this.seed = textField('Seed: simulate again with this seed (Enter)', 'seed', () => undefined, (v) => {
      const n = Number(v);
      if (Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1) act.rerun({ seed: n });
    });
    this.seed.el.id = 'seed';
    const exp = button('Export trace (Chrome/Perfetto JSON)', 'export', () => act.exportTrace());

    const tl = h('div', 'timeline');
    this.canvas = h('canvas', 'density');
    this.canvas.setAttribute('aria-hidden', 'true');
    this.scrub = h('input', 'scrub');
    this.scrub.type = 'range';
    this.scrub.min = '0';
    this.scrub.max = String(SCRUB_STEPS);
    this.scrub.value = '0';
    this.scrub.setAttribute('aria-label', 'Timeline (virtual time)');
    this.scrub.addEventListener('input', () => act.seekTime((Number(this.scrub.value) / SCRUB_STEPS) * this.endTime));
    tl.append(this.canvas, this.scrub);
    this.where = h('span', 'where');
    this.where.setAttribute('aria-live', 'off');

    const group = (label: string, ...els: HTMLElement[]) => {
      const g = h('span', 'cgroup');
      if (label) g.append(h('span', 'clabel', label));
      g.append(...els);
      return g;
    };
    this.el.append(
      group('', first, prevI, back, this.play, fwd, nextI, last),
      group('speed', this.speed.el),
      group('GOMAXPROCS', this.procs.el),
      group('seed', this.seed.el),
      exp,
      tl, this.where,
    );
    new ResizeObserver(() => this.drawDensity()).observe(tl);
  }

  setRun(config: { gomaxprocs: number; seed: number }, endTime: number, density: (buckets: number) => Uint32Array): void {
    const opts = new Set([1, 2, 4, 8, 16, 32, 64, config.gomaxprocs]);
    this.procs.setOptions([...opts].sort((a, b) => a - b).map((n) => ({ value: String(n), label: String(n) })), String(config.gomaxprocs));
    this.seed.value = String(config.seed);
    this.endTime = endTime;
    this.densityOf = density;
    this.density = null;
    this.drawDensity();
  }
  private densityOf: ((buckets: number) => Uint32Array) | null = null;

  setSpeed(s: number): void { this.speed.value = String(s); }

  update(playing: boolean, index: number, length: number, time: number): void {
    const name = playing ? 'debug-pause' : 'play';
    if (this.playIcon.className !== `codicon codicon-${name}`) {
      this.playIcon.className = `codicon codicon-${name}`;
      const label = playing ? 'Pause (Space)' : 'Play (Space)';
      this.play.setAttribute('aria-label', label);
      this.play.title = label;
    }
    const v = String(this.endTime > 0 ? Math.round((time / this.endTime) * SCRUB_STEPS) : 0);
    if (this.scrub.value !== v) this.scrub.value = v;
    this.scrub.setAttribute('aria-valuetext', formatNs(time));
    const text = `event ${(index + 1).toLocaleString('en-US')} / ${length.toLocaleString('en-US')} · t = ${formatNs(time)} of ${formatNs(this.endTime)}`;
    if (this.where.textContent !== text) this.where.textContent = text;
  }

  private drawDensity(): void {
    const c = this.canvas;
    const w = Math.max(1, Math.floor(c.clientWidth));
    const hgt = Math.max(1, Math.floor(c.clientHeight));
    if (!this.densityOf) return;
    if (c.width !== w || c.height !== hgt || !this.density || this.density.length !== w) {
      c.width = w;
      c.height = hgt;
      this.density = this.densityOf(w);
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, hgt);
    const d = this.density;
    let max = 1;
    for (const x of d) if (x > max) max = x;
    ctx.fillStyle = getComputedStyle(c).color;
    // Log scale: one busy burst must not flatten every other bar.
    const lmax = Math.log1p(max);
    for (let x = 0; x < d.length; x++) {
      if (!d[x]) continue;
      const bh = Math.max(1, Math.round((Math.log1p(d[x]!) / lmax) * hgt));
      ctx.fillRect(x, hgt - bh, 1, bh);
    }
  }
}
