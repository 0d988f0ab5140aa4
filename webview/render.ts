// The diagram in the DOM. Each drawn G is one persistent element keyed by its goid, so when a G
// moves (runnext → running, a steal, a syscall) the same element changes parent and a FLIP
// animation makes it travel there: the move itself is what the learner should see. Animations
// only run when stepping or playing slowly, and never with prefers-reduced-motion. Styles are set
// through the CSSOM (allowed by the CSP), never through style attributes.
import type { Capped, PanelLayout, PLayout } from './layout';
import { formatNs, type Frame, type PanelModel } from './model';
import type { Arrow, Effect, FxTarget, Moment } from './moments';

export interface RenderContext {
  model: PanelModel;
  /** The event shown (lookups about a G are made at this index: the fold stays where it is). */
  index: number;
  selectedG: number | null;
  /** Line of the `go` statement under the editor cursor (0 = none): the Gs it created are outlined. */
  highlightLine: number;
  /** Animate moves (ms), 0 = jump. */
  animateMs: number;
  /** The scheduler step at the playhead, marked on the diagram (effects + captions). */
  moment: Moment | null;
}

interface Fx { effect: Effect; caption: string }

/** Marks of a moment by target: one effect per element, captions joined. */
function fxMaps(moment: Moment | null): { g: Map<number, Fx>; p: Map<number, Fx>; m: Map<number, Fx>; box: Map<string, Fx> } {
  const maps = { g: new Map<number, Fx>(), p: new Map<number, Fx>(), m: new Map<number, Fx>(), box: new Map<string, Fx>() };
  for (const mk of moment?.marks ?? []) {
    const t = mk.target;
    const [map, key] = 'g' in t ? [maps.g, t.g] as const : 'p' in t ? [maps.p, t.p] as const : 'm' in t ? [maps.m, t.m] as const : [maps.box, t.box] as const;
    const cur = (map as Map<number | string, Fx>).get(key);
    if (!cur) (map as Map<number | string, Fx>).set(key, { effect: mk.effect, caption: mk.caption });
    else if (mk.caption && !cur.caption.includes(mk.caption)) cur.caption = cur.caption ? `${cur.caption} · ${mk.caption}` : mk.caption;
  }
  return maps;
}

const SVG = 'http://www.w3.org/2000/svg';

interface Box { left: number; top: number; right: number; bottom: number }

function shift(r: DOMRect, base: DOMRect): Box {
  return { left: r.left - base.left, top: r.top - base.top, right: r.right - base.left, bottom: r.bottom - base.top };
}

/**
 * A curved arrow from the centre of box a to the centre of box b (neighbouring boxes are only a gap
 * apart: an arrow between their edges would be invisible), as SVG path data for the shaft and the head, and
 * the label's place at the middle of the curve. Exported for tests.
 */
export function arrowPath(a: Box, b: Box): { d: string; head: string; mid: { x: number; y: number } } {
  const p0 = { x: (a.left + a.right) / 2, y: (a.top + a.bottom) / 2 };
  const p1 = { x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2 };
  const dx = p1.x - p0.x, dy = p1.y - p0.y;
  const len = Math.hypot(dx, dy) || 1;
  // The bend: perpendicular to the chord (upwards for a left-to-right arrow), so the arrow and its
  // label stand out from the rows they cross.
  const bend = Math.min(70, len * 0.3);
  const c = { x: (p0.x + p1.x) / 2 + (dy / len) * bend, y: (p0.y + p1.y) / 2 - (dx / len) * bend };
  const mid = { x: 0.25 * p0.x + 0.5 * c.x + 0.25 * p1.x, y: 0.25 * p0.y + 0.5 * c.y + 0.25 * p1.y };
  // The head points along the curve's tangent at its end (from the control point to the end).
  const tx = p1.x - c.x, ty = p1.y - c.y;
  const tl = Math.hypot(tx, ty) || 1;
  const ux = tx / tl, uy = ty / tl;
  const size = 9;
  const bx = p1.x - ux * size, by = p1.y - uy * size;
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    d: `M${r(p0.x)},${r(p0.y)} Q${r(c.x)},${r(c.y)} ${r(bx)},${r(by)}`,
    head: `M${r(p1.x)},${r(p1.y)} L${r(bx - uy * size * 0.5)},${r(by + ux * size * 0.5)} L${r(bx + uy * size * 0.5)},${r(by - ux * size * 0.5)} Z`,
    mid: { x: r(mid.x), y: r(mid.y) },
  };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function icon(name: string): HTMLElement {
  const e = h('span', `codicon codicon-${name}`);
  e.setAttribute('aria-hidden', 'true');
  return e;
}

function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** Replaces e's children unless they already are exactly `nodes` (keeps chips in place). */
function fill(e: Element, nodes: Node[]): void {
  const cur = e.childNodes;
  if (cur.length === nodes.length) {
    let same = true;
    for (let i = 0; i < nodes.length && same; i++) same = cur[i] === nodes[i];
    if (same) return;
  }
  e.replaceChildren(...nodes);
}

function more(c: Capped<unknown>, what = 'more'): HTMLElement[] {
  return c.more > 0 ? [h('span', 'more', `+${c.more.toLocaleString('en-US')} ${what}`)] : [];
}

export class Renderer {
  private readonly chips = new Map<number, HTMLButtonElement>();
  private readonly cards = new Map<number, HTMLElement>();
  private lastDrawn = new Set<number>();
  /** Captions of the moment shown, reused while it stays (a re-created node would restart its animation). */
  private caps = new Map<string, HTMLElement>();
  private capsOf: Moment | null = null;
  private fx = fxMaps(null);
  private readonly boxes = new Map<string, { s: HTMLElement; cap: HTMLElement }>();
  private readonly krows = new Map<number, { key: string; row: HTMLElement }>();
  private readonly fxBanner: HTMLElement;
  /** Arrows of the moment shown, over the diagram (redrawn when the layout moves). */
  private readonly arrowLayer: SVGSVGElement;
  private arrows: readonly Arrow[] = [];
  readonly el: {
    ps: HTMLElement; global: HTMLElement; globalCount: HTMLElement; kernel: HTMLElement; netpoll: HTMLElement; sleeping: HTMLElement;
    waiting: HTMLElement; idle: HTMLElement; sysmon: HTMLElement; finished: HTMLElement; inFlight: HTMLElement;
  };

  constructor(private readonly root: HTMLElement, private readonly onSelect: (g: number) => void) {
    const legend = h('div', 'legend');
    legend.setAttribute('aria-label', 'Colours of goroutines (G)');
    for (const [st, label] of [['running', 'running'], ['runnable', 'runnable (queued)'], ['waiting', 'waiting / sleeping'], ['syscall', 'in a syscall']] as const) {
      const item = h('span', 'lg');
      item.append(h('span', `swatch st-${st}`), label);
      legend.append(item);
    }
    legend.append(h('span', 'lg hint', 'click a G to see its line'));
    this.fxBanner = h('div', 'fxbanner');
    this.fxBanner.id = 'fxbanner';
    this.fxBanner.setAttribute('role', 'alert');
    root.append(legend, this.fxBanner);
    const section = (id: string, title: string, iconName: string, help: string) => {
      const s = h('section', `box ${id}`);
      s.id = id;
      s.setAttribute('aria-label', title);
      const head = h('h2');
      head.append(icon(iconName), ` ${title}`);
      head.title = help;
      const body = h('div', 'body');
      const cap = h('span', 'fxcap boxcap');
      cap.dataset.for = id;
      head.append(cap);
      s.append(head, body);
      root.append(s);
      this.boxes.set(id, { s, cap });
      return { s, head, body };
    };
    const ps = section('procs', 'Processors (P) — each needs an M to run Gs', 'server-process',
      'A P is the right to run Go code: it holds a local run queue (256 slots) and a runnext slot. GOMAXPROCS Ps exist.');
    ps.body.classList.add('pgrid');
    const glob = section('globalq', 'Global run queue', 'list-ordered',
      'sched.runq: Gs any P may take; checked every 61 schedticks for fairness and when a local queue is empty.');
    const globalCount = h('span', 'count');
    glob.head.append(' ', globalCount);
    const kernel = section('kernel', 'Kernel: Ms in syscalls / cgo (no P)', 'terminal',
      'An M in a blocking syscall or cgo call holds its G but not its P: sysmon hands the P to another M after 20 µs if there is work.');
    const netpoll = section('netpoll', 'Netpoller (parked on IO)', 'plug',
      'Gs waiting for network IO are parked in the netpoller, not on a thread; a poll makes them runnable again (injectglist).');
    const sleeping = section('sleeping', 'Sleeping (timers)', 'watch', 'Gs in time.Sleep wait for a timer on a P\'s timer heap.');
    const waiting = section('waiting', 'Waiting (by wait reason)', 'debug-pause', 'Parked Gs (gopark), grouped by the wait reason the runtime prints.');
    const inFlight = section('inflight', 'Between queues', 'arrow-swap', 'Runnable Gs taken out of a queue, about to start on an M.');
    const idle = section('idle', 'Idle Ps and Ms', 'circle-slash', 'sched.pidle and sched.midle: idle Ps wait for work; idle Ms (threads) are parked, not destroyed.');
    const sysmon = section('sysmon', 'sysmon', 'eye', 'The system monitor thread runs without a P: it preempts Gs running > 10 ms and retakes Ps from Ms blocked in syscalls.');
    const finished = section('finished', 'Finished', 'pass', 'Goroutines that returned (their G is put on a free list for reuse).');
    this.arrowLayer = document.createElementNS(SVG, 'svg');
    this.arrowLayer.classList.add('arrows');
    this.arrowLayer.setAttribute('aria-hidden', 'true');
    root.append(this.arrowLayer);
    new ResizeObserver(() => this.drawArrows()).observe(root);
    this.el = {
      ps: ps.body, global: glob.body, globalCount, kernel: kernel.body, netpoll: netpoll.body, sleeping: sleeping.body,
      waiting: waiting.body, idle: idle.body, sysmon: sysmon.body, finished: finished.body, inFlight: inFlight.body,
    };
  }

  private chip(g: number, ctx: RenderContext, state: string, detail = ''): HTMLButtonElement {
    let c = this.chips.get(g);
    if (!c) {
      c = h('button', 'g new', `G${g}`);
      c.dataset.g = String(g);
      c.type = 'button';
      c.addEventListener('click', () => this.onSelect(g));
      this.chips.set(g, c);
    }
    const fx = this.fx.g.get(g);
    const cls = `g st-${state}${ctx.selectedG === g ? ' sel' : ''}${ctx.highlightLine > 0 && ctx.model.createdLineOf(g, ctx.index) === ctx.highlightLine ? ' hl' : ''}${this.lastDrawn.has(g) ? '' : ' new'}${fx ? ` fx fx-${fx.effect}` : ''}`;
    if (c.className !== cls) c.className = cls;
    const created = ctx.model.createdLineOf(g, ctx.index);
    const label = `G${g}, ${state}${detail ? `, ${detail}` : ''}${created ? `, created at line ${created}` : ''}`;
    if (c.getAttribute('aria-label') !== label) {
      c.setAttribute('aria-label', label);
      c.title = label;
    }
    return c;
  }

  /** The caption node for a marked element (the same node while the moment stays). */
  private caption(key: string, fx: Fx | undefined): HTMLElement[] {
    if (!fx || !fx.caption) return [];
    const k = `${key}|${fx.effect}|${fx.caption}`;
    let c = this.caps.get(k);
    if (!c) {
      c = h('span', `fxcap fx-${fx.effect}`, fx.caption);
      c.dataset.for = key;
      this.caps.set(k, c);
    }
    return [c];
  }

  private setMoment(moment: Moment | null): void {
    const same = moment === this.capsOf || (moment !== null && this.capsOf !== null && moment.anchor === this.capsOf.anchor && moment.index === this.capsOf.index);
    if (same) return;
    this.capsOf = moment;
    this.caps = new Map();
    this.fx = fxMaps(moment);
    const text = moment?.banner ?? '';
    if (this.fxBanner.textContent !== text) this.fxBanner.textContent = text;
    this.arrows = moment?.arrows ?? [];
    for (const [id, b] of this.boxes) {
      const fx = this.fx.box.get(id);
      const cls = `box ${id}${fx ? ` fx fx-${fx.effect}` : ''}`;
      if (b.s.className !== cls) b.s.className = cls;
      setText(b.cap, fx?.caption ?? '');
    }
  }

  render(frame: Frame, l: PanelLayout, ctx: RenderContext): void {
    const before = ctx.animateMs > 0 ? this.positions() : null;
    this.setMoment(ctx.moment);
    const drawn = new Set<number>();
    const chip1 = (g: number, state: string, detail = '') => { drawn.add(g); return this.chip(g, ctx, state, detail); };
    // A chip and, when the moment marks it, its caption right after it.
    const chip = (g: number, state: string, detail = ''): HTMLElement[] => [chip1(g, state, detail), ...this.caption(`g${g}`, this.fx.g.get(g))];

    // Ps
    const alive = new Set<number>();
    const cards: HTMLElement[] = [];
    for (const p of l.ps) {
      alive.add(p.id);
      cards.push(this.card(p, l, chip, ctx.animateMs));
    }
    for (const id of [...this.cards.keys()]) if (!alive.has(id)) this.cards.delete(id);
    fill(this.el.ps, cards);

    setText(this.el.globalCount, `${l.global.total.toLocaleString('en-US')} G${l.global.total === 1 ? '' : 's'}`);
    fill(this.el.global, l.global.total ? [...l.global.shown.flatMap((g) => chip(g, 'runnable', 'in the global run queue')), ...more(l.global)] : [h('span', 'empty', 'empty')]);

    const krowsNow = new Set<number>();
    fill(this.el.kernel, l.kernel.total ? [...l.kernel.shown.map((k) => {
      krowsNow.add(k.m);
      const mfx = this.fx.m.get(k.m);
      // Between a slow exitsyscall (its G went to the global queue) and stopm, the M is back with nothing.
      const gchip = k.g >= 0 ? chip(k.g, 'syscall', `in ${k.cgo ? 'a cgo call' : 'a syscall'}`) : [];
      // Rows are kept while nothing in them changes: a marked row's animation must not restart each frame.
      const gfx = this.fx.g.get(k.g);
      const key = `${k.g}|${k.cgo}|${k.what}|${k.line}|${mfx?.effect}|${mfx?.caption}|${gfx?.effect}|${gfx?.caption}`;
      const cached = this.krows.get(k.m);
      if (cached && cached.key === key) return cached.row;
      const row = h('div', `krow${mfx ? ` fx fx-${mfx.effect}` : ''}`);
      row.dataset.m = String(k.m);
      const m = h('span', 'm', `M${k.m}`);
      m.title = `thread M${k.m} is blocked in the kernel with its G`;
      row.append(m, ...gchip, h('span', 'what', k.g >= 0 ? `${k.cgo ? 'cgo' : 'syscall'} ${k.what}`.trim() : 'back from its syscall without a P: it parks next (stopm)'));
      if (k.line) row.append(h('code', 'src', `line ${k.line}`));
      row.append(...this.caption(`m${k.m}`, mfx));
      this.krows.set(k.m, { key, row });
      return row;
    }), ...more(l.kernel)] : [h('span', 'empty', 'no M in a syscall')]);
    for (const m of [...this.krows.keys()]) if (!krowsNow.has(m)) this.krows.delete(m);

    const np: Node[] = l.netpoll.shown.flatMap((g) => chip(g, 'waiting', 'IO wait (netpoller)'));
    np.push(...more(l.netpoll));
    if (frame.netpollMs.length) np.push(h('span', 'note', `${frame.netpollMs.map((m) => `M${m}`).join(', ')} blocked in netpoll`));
    fill(this.el.netpoll, np.length ? np : [h('span', 'empty', 'empty')]);

    fill(this.el.sleeping, l.sleeping.total ? [...l.sleeping.shown.map((s) => {
      const w = h('span', 'sleeper');
      w.append(...chip(s.g, 'waiting', s.wakeNs === null ? 'sleeping' : `sleeping until ${formatNs(s.wakeNs)}`),
        h('span', 'wake', s.wakeNs === null ? 'never wakes in this run' : `wakes at ${formatNs(s.wakeNs)}`));
      return w;
    }), ...more(l.sleeping)] : [h('span', 'empty', 'none')]);

    fill(this.el.waiting, l.waiting.length ? l.waiting.map((w) => {
      const grp = h('div', 'wgroup');
      const lab = h('span', 'reason', `${w.reason} · ${w.gs.total.toLocaleString('en-US')}`);
      grp.append(lab, ...w.gs.shown.flatMap((g) => chip(g, 'waiting', w.reason)), ...more(w.gs));
      return grp;
    }) : [h('span', 'empty', 'none')]);

    fill(this.el.inFlight, l.inFlight.total ? [...l.inFlight.shown.flatMap((g) => chip(g, 'runnable', 'between queues')), ...more(l.inFlight)] : [h('span', 'empty', '—')]);

    const idle: Node[] = [];
    idle.push(h('span', 'idlelist', l.idlePs.length ? `idle Ps: ${l.idlePs.map((p) => `P${p}`).join(' ')}` : 'no idle P'));
    idle.push(h('span', 'idlelist', l.idleMs.total ? `idle Ms: ${l.idleMs.shown.map((m) => `M${m}`).join(' ')}${l.idleMs.more ? ` +${l.idleMs.more}` : ''}` : 'no idle M'));
    if (frame.spinningMs.length) idle.push(h('span', 'idlelist spin', `spinning: ${frame.spinningMs.map((m) => `M${m}`).join(' ')}`));
    fill(this.el.idle, idle);

    setText(this.el.sysmon, `M${frame.sysmon.m}, no P · ${frame.sysmon.last ?? 'nothing to do yet'}`);
    setText(this.el.finished, `${frame.finished.toLocaleString('en-US')} G${frame.finished === 1 ? '' : 's'} finished · ${frame.alive.toLocaleString('en-US')} alive`);

    // Chips no longer drawn are dropped (a G that ended, or one now inside a "+N more" count).
    for (const g of this.lastDrawn) if (!drawn.has(g)) this.chips.delete(g);
    this.lastDrawn = drawn;
    if (before) this.animate(before, ctx.animateMs);
    this.drawArrows();
  }

  /**
   * The element an arrow starts or ends at: a P's local queue row (Gs moving) or its M row (a P
   * handed to a thread), an M's kernel row, a G, a box.
   */
  private elementOf(t: FxTarget, effect: Effect): Element | undefined {
    if ('p' in t) return this.cards.get(t.p)?.querySelector(effect === 'handoff' ? '.mslot' : '.qslot') ?? undefined;
    if ('m' in t) return this.root.querySelector(`.krow[data-m="${t.m}"]`) ?? undefined;
    if ('g' in t) return this.chips.get(t.g);
    return this.boxes.get(t.box)?.s;
  }

  private drawArrows(): void {
    const layer = this.arrowLayer;
    const base = this.root.getBoundingClientRect();
    const geometry = this.arrows.map((a) => {
      const from = this.elementOf(a.from, a.effect)?.getBoundingClientRect();
      const to = this.elementOf(a.to, a.effect)?.getBoundingClientRect();
      return from && to && from.width > 0 && to.width > 0 ? arrowPath(shift(from, base), shift(to, base)) : null;
    });
    // Redrawn only when an arrow or its geometry changes (a new node would restart the draw-in).
    const sig = this.arrows.map((a, i) => `${a.effect} ${a.label} ${geometry[i]?.d ?? '-'}`).join('|');
    if (layer.dataset.sig === sig) return;
    layer.dataset.sig = sig;
    const nodes: SVGElement[] = [];
    this.arrows.forEach((a, i) => {
      const g = geometry[i];
      if (!g) return;
      const group = document.createElementNS(SVG, 'g');
      group.setAttribute('class', `arrow fx-${a.effect}`);
      const line = document.createElementNS(SVG, 'path');
      line.setAttribute('class', 'shaft');
      line.setAttribute('d', g.d);
      line.setAttribute('pathLength', '1'); // the draw-in animates a dash of length 1
      const head = document.createElementNS(SVG, 'path');
      head.setAttribute('class', 'head');
      head.setAttribute('d', g.head);
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', String(g.mid.x));
      label.setAttribute('y', String(g.mid.y - 9)); // just above the curve's middle
      label.textContent = a.label;
      group.append(line, head, label);
      nodes.push(group);
    });
    layer.replaceChildren(...nodes);
  }

  private card(p: PLayout, l: PanelLayout, chip: (g: number, state: string, detail?: string) => HTMLElement[], animateMs: number): HTMLElement {
    let c = this.cards.get(p.id);
    if (!c) {
      c = h('article', 'p');
      c.dataset.p = String(p.id);
      c.setAttribute('aria-label', `P${p.id}`);
      const head = h('div', 'phead');
      head.append(h('span', 'pname', `P${p.id}`), h('span', 'pstatus'), h('span', 'tick'));
      const util = h('div', 'util');
      util.append(h('div', 'utilbar'));
      util.title = 'utilisation: share of the virtual time so far this P ran a G';
      c.append(head, util, h('div', 'mslot'), h('div', 'runslot'), h('div', 'nextslot'), h('div', 'qslot'), h('div', 'fxslot'));
      this.cards.set(p.id, c);
    }
    const pfx = this.fx.p.get(p.id);
    const cls = `p ps-${p.status}${l.limits.compact ? ' compact' : ''}${pfx ? ` fx fx-${pfx.effect}` : ''}`;
    if (c.className !== cls) c.className = cls;
    const [head, util, mslot, runslot, nextslot, qslot, fxslot] = Array.from(c.children) as HTMLElement[];
    const holderM = p.m?.id ?? p.incomingM;
    const mfx = holderM >= 0 ? this.fx.m.get(holderM) : undefined;
    fill(fxslot!, [...this.caption(`p${p.id}`, pfx), ...this.caption(`m${holderM}`, mfx)]);
    const mcls = `mslot${mfx ? ` fx fx-${mfx.effect}` : ''}`;
    if (mslot!.className !== mcls) mslot!.className = mcls;
    // A P changing hands (handoffp, acquirep) or status flashes, so the eye catches it.
    const holder = `${p.status}/${p.m?.id ?? -1}/${p.incomingM}`;
    if (animateMs > 0 && c.dataset.holder !== undefined && c.dataset.holder !== holder) {
      mslot!.animate([{ backgroundColor: 'var(--vscode-editor-findMatchHighlightBackground, rgba(234, 92, 0, 0.33))' }, { backgroundColor: 'transparent' }], { duration: animateMs * 3, easing: 'ease-out' });
    }
    c.dataset.holder = holder;
    setText(head!.children[1]!, p.status);
    setText(head!.children[2]!, `schedtick ${p.schedtick}`);
    const bar = util!.firstElementChild as HTMLElement;
    const pct = `${Math.round(p.utilisation * 100)}%`;
    if (bar.style.width !== pct) bar.style.width = pct;
    util!.setAttribute('aria-label', `utilisation ${pct}`);
    util!.dataset.pct = pct;

    if (p.m) {
      const m = h('span', `m${p.m.spinning ? ' spinning' : ''}`, `M${p.m.id}${p.m.spinning ? ' · spinning' : ''}`);
      m.title = p.m.spinning ? `thread M${p.m.id} holds P${p.id} and is spinning: looking for work (runqsteal) before it parks` : `thread M${p.m.id} holds P${p.id}`;
      fill(mslot!, [icon('server'), m]);
    } else if (p.incomingM >= 0) {
      const m = h('span', 'm waking', `M${p.incomingM} · waking`);
      m.title = `startm gave P${p.id} to thread M${p.incomingM} (m.nextp): it acquires the P once the thread runs`;
      fill(mslot!, [icon('server'), m]);
    } else fill(mslot!, [h('span', 'empty', p.status === 'syscall' ? 'no M: its M is in a syscall' : 'no M')]);

    if (p.running) {
      const r = p.running;
      const src = h('code', 'src', l.limits.compact ? `:${r.line}` : `${r.fresh ? 'in ' : ''}${r.line}: ${r.text}`);
      src.title = r.fresh
        ? `running the function that starts at line ${r.line} (the simulator records a G's line where it blocks, prints or starts goroutines): ${r.text}`
        : `line ${r.line}: ${r.text}`;
      fill(runslot!, [h('span', 'lab', 'running'), ...chip(p.running.g, 'running', p.running.line ? `running line ${p.running.line}` : 'running'), ...(p.running.line ? [src] : [])]);
    } else fill(runslot!, [h('span', 'lab', 'running'), h('span', 'empty', '—')]);

    fill(nextslot!, [h('span', 'lab', 'runnext'), ...(p.runnext >= 0 ? chip(p.runnext, 'runnable', `in P${p.id}'s runnext`) : [h('span', 'empty', '—')])]);
    const qlab = h('span', 'lab', `local ${p.runq.total}/256`);
    qlab.title = `local run queue: ${p.runq.total} Gs, ${p.free} free slots (a full queue moves half to the global queue)`;
    fill(qslot!, [qlab, ...p.runq.shown.flatMap((g) => chip(g, 'runnable', `in P${p.id}'s local run queue`)), ...more(p.runq)]);
    return c;
  }

  private positions(): Map<number, DOMRect> {
    const m = new Map<number, DOMRect>();
    for (const [g, c] of this.chips) if (c.isConnected) m.set(g, c.getBoundingClientRect());
    return m;
  }

  private animate(before: Map<number, DOMRect>, ms: number): void {
    for (const [g, c] of this.chips) {
      const a = before.get(g);
      if (!a || !c.isConnected) continue;
      const b = c.getBoundingClientRect();
      const dx = a.left - b.left, dy = a.top - b.top;
      if (Math.abs(dx) < 1 && Math.abs(dy) < 1) continue;
      c.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'none' }], { duration: ms, easing: 'ease-out' });
    }
  }

  /** The chip drawn for G g (tests, cursor highlighting). */
  chipOf(g: number): HTMLElement | undefined { return this.chips.get(g); }
}
