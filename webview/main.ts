// Panel entry point (browser bundle): messages from the host, the playhead and its persistence,
// playback, keyboard, and putting the pieces on the page. The host posts nothing before `ready`,
// which is the first thing posted here, once every listener is in place.
import { LogAssembler, PROTOCOL_VERSION, parsePanelState, type FromWebview, type PanelState, type SimulationData, type ToWebview } from '../src/protocol';
import { eventDensity } from '../src/core/trace/state';
import { isSpinHang } from '../src/core/trace/events';
import { waitReasonString } from '../src/core/engine/entities';
import { Controls, DEFAULT_SPEED } from './controls';
import { EventLogView } from './eventLog';
import { layout } from './layout';
import { formatNs, PanelModel, type Frame } from './model';
import { momentAt, type Moment } from './moments';
import { h, icon, Renderer } from './render';
import { progressRing, registerToolkit } from './toolkit';

interface VsCodeApi {
  postMessage(msg: FromWebview): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Where the picture draws a newer runtime the way Go 1.19 does (same behaviour, other bookkeeping). */
const GO126_SYSCALL_P = 'Go 1.26: a P whose M is in a syscall stays wired to that M (_Psyscall is gone); the diagram draws it detached, as in Go 1.19. What happens is the same: sysmon retakes it after 20 µs when there is other work (handoffp), and exitsyscall first tries to keep or get back its old P.';

const ASSUMPTIONS = [
  'Time is virtual: each statement, channel operation and thread switch costs a modelled amount of time taken from the runtime\'s typical costs; sleeps, syscalls and network waits take the time the program asks for. Real timings differ.',
  'The scheduler follows Go\'s runtime (proc.go): runnext, 256-slot local run queues, the global queue checked every 61 schedticks, work stealing by spinning Ms, sysmon preempting after 10 ms and retaking Ps from syscalls after 20 µs, the netpoller, checkdead.',
  'Not modelled: the garbage collector (no GC pauses or assists), stack growth, the memory allocator, the OS scheduling threads on cores (each M gets a CPU when it wants one), real disk and network latency.',
  'Random choices (steal victims, select cases, fastrand) come from the seed: the same seed gives the same run; real Go varies from run to run.',
];

/** Logs from this many events show an "indexing" notice while the rest of the log is folded after the first frame. */
const LARGE_LOG = 1_000_000;

const TRUNCATED = 'The event log was cut at the event budget: the diagram stops there (the run itself ended as shown).';

const EXIT_TEXT: Record<string, string> = {
  'main-returned': 'main returned: the program exited',
  deadlock: 'checkdead: all goroutines are asleep — deadlock',
  panic: 'panic',
  'os-exit': 'os.Exit',
  'goexit-deadlock': 'main called runtime.Goexit and no goroutine is left — deadlock',
  hang: 'blocks forever (the runtime cannot report it)',
  'thread-exhaustion': 'too many threads',
  budget: 'stopped at the simulation budget',
  error: 'simulation error',
};

/** A `hang` whose goroutines spin in endless loops rather than block. */
const SPIN_TEXT = 'runs forever: goroutines spin in endless loops that nothing can stop (the runtime cannot report it)';

class Panel {
  private readonly vscode: VsCodeApi;
  private model: PanelModel | null = null;
  private index = 0;
  private playing = false;
  private speed = DEFAULT_SPEED;
  private selectedG: number | null = null;
  private highlightLine = 0;
  private restored: PanelState | null;
  private lastNarration = -2;
  private rafPending = false;
  private lastTick = 0;
  private carry = 0;
  private stepAnimMs = 0;
  private saveTimer: number | undefined;
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

  private readonly controls: Controls;
  private readonly renderer: Renderer;
  private readonly events: EventLogView;
  private readonly el: {
    title: HTMLElement; stats: HTMLElement; banner: HTMLElement; verdict: HTMLElement; narration: HTMLElement; output: HTMLElement;
    notes: HTMLElement; detail: HTMLElement; cursor: HTMLElement; app: HTMLElement;
  };

  constructor(vscode: VsCodeApi) {
    this.vscode = vscode;
    this.restored = parsePanelState(this.vscode.getState());
    if (this.restored) { this.speed = this.restored.speed; this.selectedG = this.restored.selectedG; }
    registerToolkit();

    const body = document.body;
    const app = h('div', 'app');
    app.id = 'app';
    const header = h('header', 'hdr');
    const title = h('h1', 'title', 'GMP Tutor');
    const stats = h('div', 'stats');
    stats.id = 'stats';
    stats.setAttribute('aria-label', 'Scheduler statistics at the playhead');
    header.append(title, stats);
    const banner = h('div', 'banner');
    banner.id = 'banner';
    banner.setAttribute('role', 'status');
    this.controls = new Controls({
      togglePlay: () => this.togglePlay(),
      step: (d) => this.step(d),
      stepInteresting: (d) => this.stepInteresting(d),
      seekTime: (t) => { if (this.model) this.seek(this.model.log.upperBound(t) - 1, 0); },
      setSpeed: (s) => { this.speed = s; this.save(); },
      rerun: (o) => this.post({ type: 'rerun', ...o }),
      exportTrace: () => this.post({ type: 'exportTrace' }),
    });
    this.controls.setSpeed(this.speed);
    const verdict = h('div', 'verdict');
    verdict.id = 'verdict';
    const narration = h('p', 'narration');
    narration.id = 'narration';
    narration.setAttribute('aria-live', 'polite');
    narration.setAttribute('aria-label', 'What just happened');
    const cursor = h('div', 'cursorinfo');
    cursor.id = 'cursorinfo';
    const detail = h('div', 'gdetail');
    detail.id = 'gdetail';
    detail.setAttribute('aria-live', 'polite');

    const diagram = h('main', 'diagram');
    diagram.id = 'diagram';
    this.renderer = new Renderer(diagram, (g) => this.selectG(g));

    const side = h('div', 'side');
    this.events = new EventLogView((i) => this.seek(i, 250));
    const out = h('section', 'box outputbox');
    out.setAttribute('aria-label', 'Program output so far');
    const outHead = h('h2');
    outHead.append(icon('output'), ' Output so far');
    const output = h('pre', 'output');
    output.id = 'output';
    out.append(outHead, output);
    const assume = h('section', 'box assumptions');
    assume.id = 'assumptions';
    assume.setAttribute('aria-label', 'Assumptions');
    const aHead = h('h2');
    aHead.append(icon('info'), ' Assumptions: what this simulation models and simplifies');
    const list = h('ul');
    for (const a of ASSUMPTIONS) list.append(h('li', '', a));
    const notes = h('ul', 'notes');
    assume.append(aHead, list, notes);
    side.append(this.events.el, out);

    const cols = h('div', 'cols');
    const left = h('div', 'left');
    left.append(verdict, narration, cursor, detail, diagram);
    cols.append(left, side);
    app.append(header, banner, this.controls.el, cols, assume);
    body.replaceChildren(app);
    this.el = { title, stats, banner, verdict, narration, output, notes, detail, cursor, app };
    this.showBanner('No simulation yet: run “GMP Tutor: Simulate Scheduler” on a Go file.', 'info');

    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    document.addEventListener('keydown', (e) => this.key(e));
    new ResizeObserver(() => { this.width = app.clientWidth || 900; this.requestRender(0); }).observe(app);
    this.post({ type: 'ready', version: PROTOCOL_VERSION, chunkedLog: true });
  }

  private post(msg: FromWebview): void { this.vscode.postMessage(msg); }

  private receive(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') return;
    const msg = raw as ToWebview;
    switch (msg.type) {
      case 'running':
        this.el.app.classList.add('busy');
        this.showBanner(`Simulating ${msg.fileName} with GOMAXPROCS ${msg.config.gomaxprocs}, seed ${msg.config.seed}…`, 'busy');
        break;
      case 'runFailed':
        this.el.app.classList.remove('busy');
        this.showBanner(`The simulation failed: ${msg.message}`, 'error');
        break;
      case 'simulation': {
        const data = msg.data;
        if (!data || !data.log || typeof data.log.length !== 'number') break;
        const whole = this.assembler.start(data);
        if (whole) this.load(whole);
        else this.showBanner(`Receiving ${(data.log.length + (data.pendingEvents ?? 0)).toLocaleString('en-US')} events of ${data.fileName}…`, 'busy');
        break;
      }
      case 'logChunk': {
        // Large runs arrive in parts (the host's postMessage copy stays short); the run is shown once whole.
        const whole = this.assembler.add(msg);
        if (whole) this.load(whole);
        break;
      }
      case 'cursor':
        if (this.model && msg.fileUri === this.model.data.fileUri && Number.isInteger(msg.line)) {
          this.highlightLine = msg.line;
          this.requestRender(0);
        }
        break;
    }
  }

  private showBanner(text: string, kind: 'info' | 'busy' | 'error' | ''): void {
    const b = this.el.banner;
    b.className = `banner ${kind}`;
    if (!kind) { b.replaceChildren(); return; }
    b.replaceChildren(...(kind === 'busy' ? [progressRing()] : [icon(kind === 'error' ? 'error' : 'info')]), h('span', '', text));
  }

  private load(data: SimulationData): void {
    const started = performance.now();
    this.playing = false;
    const model = new PanelModel(data);
    this.model = model;
    this.el.app.classList.remove('busy');
    this.showBanner(data.truncated ? TRUNCATED : '', data.truncated ? 'info' : '');
    this.el.title.textContent = `GMP Tutor: ${data.fileName}`;
    document.title = `GMP Tutor: ${data.fileName}`;
    this.controls.setRun(data.config, model.endTime, (n) => eventDensity(model.log, n));
    this.events.setModel(model);
    const notes = data.config.goVersion >= 26 ? [GO126_SYSCALL_P, ...data.notes] : data.notes;
    this.el.notes.replaceChildren(...notes.map((n) => h('li', 'note', n)));
    const exitText = isSpinHang(data.exit) ? SPIN_TEXT : EXIT_TEXT[data.exit.reason] ?? data.exit.reason;
    this.el.verdict.dataset.reason = data.exit.reason;
    // The runtime's first line is the verdict; the goroutine dump follows on demand.
    const [first, ...rest] = data.exit.reason === 'main-returned' ? [''] : data.exit.message.split('\n');
    // The runtime's own words when it printed something, else what happened in ours.
    const status = data.exit.code >= 0 ? `exit status ${data.exit.code}` : 'the program had not ended';
    const longer = data.exit.reason === 'budget' && /virtual-time budget/.test(first ?? '') ? '; the setting gmpTutor.budget.virtualTimeMs gives it longer' : '';
    const vtext = h('span', 'vtext', `Run ends at ${formatNs(data.exit.timeNs)}: ${first || exitText} (${status}${longer})`);
    vtext.title = exitText;
    const parts: Node[] = [icon(data.exit.reason === 'main-returned' ? 'pass' : 'warning'), vtext];
    if (rest.join('').trim()) {
      const d = h('details', 'dump');
      d.append(h('summary', '', 'what the runtime prints'), h('pre', '', data.exit.message));
      parts.push(d);
    }
    this.el.verdict.replaceChildren(...parts);
    this.highlightLine = 0;
    const r = this.restored;
    if (r && r.fileUri === data.fileUri) {
      this.index = Math.min(r.eventIndex, model.length - 1);
      this.speed = r.speed;
      this.selectedG = r.selectedG;
      this.controls.setSpeed(this.speed);
    } else {
      // Start where main is running: before that the diagram is the empty start-up (procresize).
      this.index = Math.max(0, model.firstStart());
      this.selectedG = null;
    }
    this.restored = null;
    this.lastNarration = -2;
    this.renderNow(0);
    document.body.dataset.runId = String(data.runId);
    document.body.dataset.firstFrameMs = (performance.now() - started).toFixed(1);
    this.save();
    if (!model.complete) this.finishIndexing(model, data);
  }

  /**
   * The first frame came from a prefix of the log; the rest is folded once it is on screen. For
   * millions of events that holds the page for a few seconds: a notice says so first.
   */
  private finishIndexing(model: PanelModel, data: SimulationData): void {
    const large = data.log.length >= LARGE_LOG;
    if (large) this.showBanner(`Indexing ${data.log.length.toLocaleString('en-US')} events: the controls answer in a moment…`, 'busy');
    requestAnimationFrame(() => setTimeout(() => {
      if (this.model !== model) return;
      const t0 = performance.now();
      model.finishIndexing();
      document.body.dataset.indexed = String(data.runId);
      document.body.dataset.indexMs = (performance.now() - t0).toFixed(0);
      if (large) this.showBanner(data.truncated ? TRUNCATED : '', data.truncated ? 'info' : '');
      this.requestRender(0);
    }, 0));
  }

  // --- playhead ---------------------------------------------------------------------------

  seek(i: number, animateMs = 0): void {
    if (!this.model) return;
    const n = Math.max(-1, Math.min(this.model.length - 1, i));
    if (n === this.index) return;
    this.index = n;
    this.save();
    this.requestRender(animateMs);
  }

  private step(d: number): void {
    if (!this.model) return;
    this.pause();
    this.seek(d === -Infinity ? 0 : d === Infinity ? this.model.length - 1 : this.index + d, Math.abs(d) === 1 ? 300 : 0);
  }

  private stepInteresting(d: number): void {
    if (!this.model) return;
    this.pause();
    const j = d > 0 ? this.model.nextInteresting(this.index) : this.model.prevInteresting(this.index);
    if (j >= 0) this.seek(j, 300);
  }

  private togglePlay(): void {
    if (!this.model) return;
    if (this.playing) { this.pause(); return; }
    if (this.index >= this.model.length - 1) this.index = 0;
    this.playing = true;
    this.lastTick = performance.now();
    this.carry = 0;
    this.requestRender(0);
  }

  private pause(): void {
    if (!this.playing) return;
    this.playing = false;
    this.lastText = 0;
    this.requestRender(0);
  }

  private selectG(g: number): void {
    this.selectedG = this.selectedG === g ? null : g;
    this.save();
    this.requestRender(0);
    if (this.selectedG === null || !this.model) return;
    const v = this.model.goroutineAt(g, this.index);
    const line = (v && this.model.lineOfSite(v.site)) || this.model.createdLineOf(g, this.index);
    if (line > 0) this.post({ type: 'revealLine', fileUri: this.model.data.fileUri, line });
  }

  private key(e: KeyboardEvent): void {
    const t = e.target as HTMLElement | null;
    if (t && (t.closest('vscode-text-field, vscode-dropdown, input[type=text], textarea') || (t instanceof HTMLInputElement && t.type !== 'range'))) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case ' ': this.togglePlay(); break;
      case 'ArrowRight': if (e.shiftKey) this.stepInteresting(1); else this.step(1); break;
      case 'ArrowLeft': if (e.shiftKey) this.stepInteresting(-1); else this.step(-1); break;
      case 'Home': this.step(-Infinity); break;
      case 'End': this.step(Infinity); break;
      default: return;
    }
    e.preventDefault();
  }

  /** Persist playhead, speed and selection (throttled while playing). */
  private save(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = undefined;
      if (!this.model) return;
      const d = this.model.data;
      this.vscode.setState({
        version: PROTOCOL_VERSION, fileUri: d.fileUri, config: { gomaxprocs: d.config.gomaxprocs, seed: d.config.seed },
        eventIndex: Math.max(0, this.index), speed: this.speed, selectedG: this.selectedG,
      });
    }, this.playing ? 250 : 0);
  }

  // --- drawing ----------------------------------------------------------------------------

  private requestRender(animateMs: number): void {
    this.stepAnimMs = Math.max(this.stepAnimMs, animateMs);
    if (this.rafPending) return;
    this.rafPending = true;
    requestAnimationFrame((now) => {
      this.rafPending = false;
      if (this.playing && this.model) {
        this.carry += ((now - this.lastTick) / 1000) * this.speed;
        this.lastTick = now;
        const adv = Math.floor(this.carry);
        if (adv > 0) {
          this.carry -= adv;
          this.index = Math.min(this.model.length - 1, this.index + adv);
          this.save();
          if (this.index >= this.model.length - 1) this.playing = false;
        }
        // Slow playback animates each move; fast playback jumps.
        if (this.speed <= 5) this.stepAnimMs = Math.min(400, 800 / this.speed);
      }
      const ms = this.stepAnimMs;
      this.stepAnimMs = 0;
      this.renderNow(ms);
      if (this.playing) this.requestRender(0);
    });
  }

  private frames = 0;
  private readonly assembler = new LogAssembler();
  private lastText = 0;
  /** The panel's width (read on resize, not on every frame). */
  private width = 900;

  private renderNow(animateMs: number): void {
    const m = this.model;
    if (!m) return;
    // Each frame's cost is a user-timing measure ("gmp-frame"): the benchmark observes it.
    const started = performance.now();
    this.drawFrame(m, animateMs);
    performance.measure('gmp-frame', { start: started });
    if (++this.frames % 600 === 0) performance.clearMeasures('gmp-frame');
  }

  /** The moment at the playhead, kept while the playhead stays (playback redraws every frame). */
  private moment: { model: PanelModel; index: number; moment: Moment | null } | null = null;

  private momentOf(m: PanelModel, i: number): Moment | null {
    if (this.moment?.model !== m || this.moment.index !== i) this.moment = { model: m, index: i, moment: momentAt(m.log, i, m.goVersion) };
    return this.moment.moment;
  }

  private drawFrame(m: PanelModel, animateMs: number): void {
    const f = m.frame(this.index);
    const l = layout(f, this.width, (g) => m.wakeTime(g, f.index));
    this.renderer.render(f, l, {
      model: m, index: f.index, selectedG: this.selectedG, highlightLine: this.highlightLine, animateMs: this.reducedMotion.matches ? 0 : animateMs,
      // A caption shown for one frame of fast playback teaches nothing: moments mark slow playback and steps.
      moment: this.playing && this.speed > 60 ? null : this.momentOf(m, f.index),
    });
    this.controls.update(this.playing, f.index, m.length, f.time);
    this.renderStats(f);
    this.el.verdict.classList.toggle('now', f.exit !== null);
    // Text nobody can read at full speed (event log, narration, output, details) follows the
    // playhead a few times a second during fast playback, and on every frame otherwise.
    const now = performance.now();
    if (this.playing && this.speed > 60 && now - this.lastText < 150) return;
    this.lastText = now;
    this.events.setCurrent(f.index);
    // A screen reader hears the narration when the playhead stops, not a stream of it while playing.
    const live = this.playing ? 'off' : 'polite';
    if (this.el.narration.getAttribute('aria-live') !== live) this.el.narration.setAttribute('aria-live', live);
    const n = m.narrationAt(f.index);
    if ((n?.index ?? -1) !== this.lastNarration) {
      this.lastNarration = n?.index ?? -1;
      this.el.narration.textContent = n ? n.text : 'Before the first event: main is about to start.';
    }
    if (this.el.output.textContent !== f.output) this.el.output.textContent = f.output;
    this.renderDetail(f);
    this.renderCursor(f);
  }

  private renderStats(f: Frame): void {
    const s = f.stats;
    const items: [string, string, string][] = [
      ['time', 'virtual time', formatNs(f.time)],
      ['alive', 'goroutines alive', f.alive.toLocaleString('en-US')],
      ['created', 'goroutines created', s.goroutinesCreated.toLocaleString('en-US')],
      ['threads', 'threads (Ms)', String(f.threads)],
      ['steals', 'steals', String(s.steals)],
      ['handoffs', 'hand-offs', String(s.handoffs)],
      ['preemptions', 'preemptions', String(s.preemptions)],
      ['switches', 'context switches', s.contextSwitches.toLocaleString('en-US')],
    ];
    const util = f.ps.length ? Math.round((f.ps.reduce((a, p) => a + p.utilisation, 0) / f.ps.length) * 100) : 0;
    items.push(['util', 'mean P utilisation', `${util}%`]);
    const text = items.map((x) => x[2]).join('|');
    if (this.el.stats.dataset.text === text) return;
    this.el.stats.dataset.text = text;
    this.el.stats.replaceChildren(...items.map(([id, label, value]) => {
      const e = h('span', 'stat');
      e.dataset.stat = id;
      e.append(h('span', 'sv', value), h('span', 'sl', label));
      return e;
    }));
  }

  private renderDetail(f: Frame): void {
    const m = this.model!;
    const g = this.selectedG;
    if (g === null) { this.el.detail.replaceChildren(); return; }
    const v = m.goroutineAt(g, f.index);
    let text: string;
    if (!v) text = `G${g} does not exist yet at this point.`;
    else {
      const line = m.lineOfSite(v.site);
      const reason = v.state === 'waiting' ? ` (${waitReasonString(v.waitReason, m.goVersion)})` : '';
      const place = v.p >= 0 ? ` on P${v.p}` : '';
      const created = m.createdLineOf(g, f.index);
      text = `G${g}: ${v.state}${reason}${place}${v.m >= 0 ? `, M${v.m}` : ''}` +
        `${line ? ` · at line ${line}: ${m.sourceText(line)}` : ''}` +
        `${created ? ` · created by G${v.parent} at line ${created}` : g === 1 ? ' · main goroutine' : ''}`;
    }
    if (this.el.detail.textContent !== text) this.el.detail.textContent = text;
  }

  private renderCursor(f: Frame): void {
    const m = this.model!;
    if (!this.highlightLine) { this.el.cursor.replaceChildren(); return; }
    const n = m.gsCreatedAt(this.highlightLine, f.index).length;
    const text = `Editor cursor on line ${this.highlightLine}: ${n.toLocaleString('en-US')} live goroutine${n === 1 ? '' : 's'} created there (outlined)`;
    if (this.el.cursor.textContent !== text) this.el.cursor.textContent = text;
  }
}

// acquireVsCodeApi may be called once per page load.
const vscodeApi = acquireVsCodeApi();

function reportError(message: string): void {
  try {
    vscodeApi.postMessage({ type: 'webviewError', message: message.slice(0, 10_000) });
  } catch { /* the host is gone */ }
}

window.addEventListener('error', (e) => reportError(`${e.message} (${e.filename}:${e.lineno})`));
window.addEventListener('unhandledrejection', (e) => reportError(`unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}`));

const start = () => new Panel(vscodeApi);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
