// The event log: a virtualised list (only the rows in view exist in the DOM, so a run of millions
// of events scrolls like a short one), filtered by G, P, M or kind, following the playhead;
// clicking a row seeks there.
import { EV_NAMES } from '../src/core/trace/events';
import { describeEvent } from '../src/core/knowledge/narrate';
import { formatNs, parseFilter, type PanelModel } from './model';
import { h } from './render';
import { dropdown, textField } from './toolkit';

export const ROW_HEIGHT = 20;
/** The tallest the list's scroll area gets (see geometry). */
const MAX_SCROLL = 1_000_000;

export class EventLogView {
  readonly el: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly count: HTMLElement;
  private model: PanelModel | null = null;
  /** Matching event indices (null = all events). */
  private matches: Int32Array | null = null;
  private current = -1;
  private filterText = '';
  private kind = 0;

  constructor(private readonly seek: (i: number) => void) {
    this.el = h('section', 'box evlog');
    this.el.id = 'events';
    this.el.setAttribute('aria-label', 'Event log');
    const head = h('h2');
    const ic = h('span', 'codicon codicon-list-flat');
    ic.setAttribute('aria-hidden', 'true');
    this.count = h('span', 'count');
    head.append(ic, ' Event log ', this.count);
    const filter = textField('Filter events by goroutine, P or M (e.g. g5 p1 m2)', 'filter: g5 p1 m2', (v) => { this.filterText = v; this.refilter(); });
    filter.el.id = 'evfilter';
    const kinds = dropdown('Filter events by kind', (v) => { this.kind = Number(v); this.refilter(); });
    kinds.el.id = 'evkind';
    kinds.setOptions([{ value: '0', label: 'all kinds' }, ...Object.entries(EV_NAMES).map(([k, name]) => ({ value: k, label: name }))], '0');
    const bar = h('div', 'evbar');
    bar.append(filter.el, kinds.el);
    this.viewport = h('div', 'evscroll');
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'list');
    this.viewport.setAttribute('aria-label', 'Events (click one to go there)');
    this.spacer = h('div', 'evspacer');
    this.rows = h('div', 'evrows');
    this.spacer.append(this.rows);
    this.viewport.append(this.spacer);
    this.viewport.addEventListener('scroll', () => this.draw());
    this.rows.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest('[data-i]') as HTMLElement | null;
      if (row) this.seek(Number(row.dataset.i));
    });
    this.el.append(head, bar, this.viewport);
  }

  setModel(model: PanelModel): void {
    this.model = model;
    this.refilter();
  }

  private refilter(): void {
    if (!this.model) return;
    this.matches = this.model.filter(parseFilter(this.filterText, this.kind));
    this.drawn.clear();
    this.viewport.scrollTop = 0;
    this.follow();
    this.draw();
  }

  private get n(): number { return this.matches ? this.matches.length : (this.model?.length ?? 0); }
  private at(r: number): number { return this.matches ? this.matches[r]! : r; }

  /** Row of the last matching event at or before i. */
  private rowOf(i: number): number {
    if (!this.matches) return i;
    let lo = 0, hi = this.matches.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (this.matches[mid]! <= i) lo = mid + 1; else hi = mid; }
    return lo - 1;
  }

  setCurrent(i: number): void {
    if (i === this.current) return;
    this.current = i;
    this.follow();
    this.draw();
  }

  /**
   * Scroll geometry. Browsers cap an element's height (Chromium at ~33 M px), so a list of
   * millions of rows is compressed: the spacer stays ≤ MAX_SCROLL px and the scroll position maps
   * proportionally to a row; rows are then placed relative to the viewport.
   */
  private geometry(): { vh: number; compressed: boolean; height: number; topRow: number; scrollFor: (row: number) => number } {
    const v = this.viewport;
    const n = this.n;
    const vh = v.clientHeight || 400;
    const rowsInView = vh / ROW_HEIGHT;
    const compressed = n * ROW_HEIGHT > MAX_SCROLL;
    const span = Math.max(1, MAX_SCROLL - vh);
    const rows = Math.max(0, n - rowsInView);
    return compressed
      ? { vh, compressed, height: MAX_SCROLL, topRow: (v.scrollTop / span) * rows, scrollFor: (row) => Math.max(0, (row / Math.max(1, rows)) * span) }
      : { vh, compressed, height: n * ROW_HEIGHT, topRow: v.scrollTop / ROW_HEIGHT, scrollFor: (row) => Math.max(0, row * ROW_HEIGHT) };
  }

  /** Keeps the current event's row in view. */
  private follow(): void {
    const r = this.rowOf(this.current);
    if (r < 0) return;
    const g = this.geometry();
    const offset = (r - g.topRow) * ROW_HEIGHT;
    if (offset < 0 || offset + ROW_HEIGHT > g.vh) this.viewport.scrollTop = g.scrollFor(r - g.vh / ROW_HEIGHT / 2);
  }

  private draw(): void {
    const m = this.model;
    const n = this.n;
    const geo = this.geometry();
    const height = `${geo.height}px`;
    if (this.spacer.style.height !== height) this.spacer.style.height = height;
    this.count.textContent = `${n.toLocaleString('en-US')}${this.matches ? ` of ${(m?.length ?? 0).toLocaleString('en-US')}` : ''}`;
    if (!m) return;
    const first = Math.max(0, Math.floor(geo.topRow) - 2);
    const last = Math.min(n, first + Math.ceil(geo.vh / ROW_HEIGHT) + 4);
    const scrollTop = this.viewport.scrollTop;
    const yOf = (r: number) => (geo.compressed ? scrollTop + (r - geo.topRow) * ROW_HEIGHT : r * ROW_HEIGHT);
    const cur = this.rowOf(this.current);
    const out: HTMLElement[] = [];
    const kept = new Map<number, HTMLElement>();
    for (let r = first; r < last; r++) {
      const i = this.at(r);
      // Rows already drawn are kept (a scroll must not replace the row under the pointer).
      let row = this.drawn.get(i);
      if (!row) {
        row = h('div', 'evrow');
        row.dataset.i = String(i);
        row.setAttribute('role', 'listitem');
        row.append(h('span', 'evt', formatNs(m.log.t(i))), h('span', 'evk', EV_NAMES[m.log.kind(i)] ?? '?'), h('span', 'evd', describeEvent(m.log, i, { goVersion: m.goVersion })));
        row.title = row.lastElementChild!.textContent ?? '';
      }
      const y = `translateY(${Math.round(yOf(r))}px)`;
      if (row.style.transform !== y) row.style.transform = y;
      const cls = `evrow${r === cur ? ' cur' : ''}${i > this.current ? ' future' : ''}`;
      if (row.className !== cls) row.className = cls;
      if (r === cur) row.setAttribute('aria-current', 'true'); else row.removeAttribute('aria-current');
      kept.set(i, row);
      out.push(row);
    }
    this.drawn = kept;
    const now = this.rows.children;
    if (now.length !== out.length || out.some((r, k) => now[k] !== r)) this.rows.replaceChildren(...out);
  }
  private drawn = new Map<number, HTMLElement>();
}
