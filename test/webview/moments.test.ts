// Teaching moments in headless Chromium: stepping onto a scheduler decision marks the elements it
// involves (an effect class and a caption in the runtime's words) — a steal, a syscall and the
// hand-off of its P, the way back from a syscall, a timer, a preemption, the netpoller, newproc's
// runnext, checkdead. Each test finds the event in a recorded run's log, steps onto it with → and
// reads the diagram as a learner would; screenshots go to artifacts/screenshots/panel-anim-*.png.
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { Ev, EventLog, PollWho, SysExit, Why, type SerializedLog } from '../../src/core/trace/events';
import type { SimulationData } from '../../src/protocol';
import { openPanel, pageErrors, postSimulation, ROOT, startHarness, type Harness, type OpenOptions } from './harness';
import { scenarioData } from './recorded';

declare const window: any;
declare const document: any;
declare const sessionStorage: any;
declare const requestAnimationFrame: any;

const SHOTS = path.join(ROOT, 'artifacts/screenshots');

const logOf = (data: SimulationData) => EventLog.fromJSON(data.log as unknown as SerializedLog);
function find(log: EventLog, pred: (i: number) => boolean, from = 0): number {
  for (let i = from; i < log.length; i++) if (pred(i)) return i;
  return -1;
}

/** The playhead (event index) as the controls show it, after the next frame. */
async function playhead(page: Page): Promise<number> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const m = /event ([\d,]+) \//.exec(await page.locator('.where').innerText());
  return Number(m![1]!.replace(/,/g, '')) - 1;
}

/** Opens the panel on `data` with the playhead just before event i (restored state), then steps onto i with →. */
async function stepOnto(h: Harness, data: SimulationData, i: number, opts: OpenOptions = {}): Promise<Page> {
  const page = await openPanel(h, opts);
  await page.evaluate(([uri, at]) => sessionStorage.setItem('vscode-state', JSON.stringify({ version: 1, fileUri: uri, eventIndex: at, speed: 1, selectedG: null })), [data.fileUri, i - 1] as const);
  await page.reload();
  await page.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'ready'));
  await postSimulation(page, data);
  assert.equal(await playhead(page), i - 1);
  await page.keyboard.press('ArrowRight');
  assert.equal(await playhead(page), i);
  return page;
}

async function step(page: Page, to: number): Promise<void> {
  for (let guard = 0; guard < 1000 && (await playhead(page)) < to; guard++) await page.keyboard.press('ArrowRight');
  assert.equal(await playhead(page), to);
}

const caption = (page: Page, forKey: string) => page.locator(`.fxcap[data-for="${forKey}"]`).first().innerText();
const classes = (page: Page, sel: string) => page.locator(sel).first().getAttribute('class');

describe('teaching moments on the diagram (headless Chromium)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => { h = await startHarness(); mkdirSync(SHOTS, { recursive: true }); });
  after(async () => { await h?.close(); });

  it('newproc: the new G is flagged "new → runnext" and the G it displaced "bumped to the local queue"', async () => {
    const { data } = scenarioData('runnext-order');
    const log = logOf(data);
    const kick = find(log, (i) => log.kind(i) === Ev.GoEnqueue && log.b(i) === Why.Kicked);
    assert.ok(kick > 0, 'a G is bumped out of runnext');
    const newG = log.siteIndex(kick), old = log.g(kick), p = log.p(kick);
    const page = await stepOnto(h, data, kick);
    assert.match(await classes(page, `.p[data-p="${p}"] .nextslot .g[data-g="${newG}"]`) ?? '', /\bfx-new\b/);
    assert.equal(await caption(page, `g${newG}`), `new (newproc, by G1) → runnext of P${p}`);
    assert.match(await classes(page, `.p[data-p="${p}"] .qslot .g[data-g="${old}"]`) ?? '', /\bfx-bumped\b/);
    assert.equal(await caption(page, `g${old}`), `bumped to P${p}'s local queue`);
    await page.screenshot({ path: path.join(SHOTS, 'panel-anim-runnext.png') });
    // The next step (the next go statement) is a new moment: the old marks are gone.
    await step(page, find(log, (i) => log.kind(i) === Ev.GoStart || log.kind(i) === Ev.GoCreate, kick + 1));
    assert.equal(await page.locator(`.g[data-g="${old}"].fx-bumped`).count(), 0);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('a steal: thief and victim P cards are marked and linked, the stolen half carries the effect', async () => {
    const { data } = scenarioData('work-stealing');
    const log = logOf(data);
    const steal = find(log, (i) => log.kind(i) === Ev.Steal && log.a(i) >= 3);
    assert.ok(steal > 0);
    const n = log.a(steal), thief = log.p(steal), victim = log.b(steal);
    const page = await stepOnto(h, data, steal);
    assert.match(await classes(page, `.p[data-p="${thief}"]`) ?? '', /\bfx-thief\b/);
    assert.match(await classes(page, `.p[data-p="${victim}"]`) ?? '', /\bfx-victim\b/);
    assert.equal(await caption(page, `p${thief}`), `⇐ stole ${n} from P${victim} (stealWork: half)`);
    assert.equal(await caption(page, `p${victim}`), `⇒ lost ${n} of its Gs to P${thief}`);
    assert.match(await caption(page, `g${log.g(steal)}`), new RegExp(`^stolen from P${victim}: runs next on P${thief}$`));
    // The rest of the batch lands in the thief's queue one event at a time (GoEnqueue, Why.Steal).
    const last = steal + n - 1;
    await step(page, last);
    const shown = await page.locator(`.p[data-p="${thief}"] .qslot .g`).count();
    const marked = await page.locator(`.p[data-p="${thief}"] .qslot .g.fx-stolen`).count();
    assert.ok(shown > 0 && marked === shown, `${marked} of ${shown} drawn Gs in the thief's queue are marked stolen`);
    assert.equal(await page.locator(`.p[data-p="${victim}"] .g.fx-stolen`).count(), 0, 'nothing stolen stays with the victim');
    // An arrow runs from the victim's local queue to the thief's, labelled with what runqsteal moved.
    const arrow = await page.evaluate(([v, t]) => {
      const a = document.querySelector('#diagram svg.arrows g.arrow.fx-thief');
      if (!a) return null;
      const base = document.getElementById('diagram')!.getBoundingClientRect();
      const rect = (p: number) => {
        const r = document.querySelector(`.p[data-p="${p}"] .qslot`)!.getBoundingClientRect();
        return { left: r.left - base.left, right: r.right - base.left, top: r.top - base.top, bottom: r.bottom - base.top };
      };
      const num = (d: string) => (d.match(/-?[\d.]+/g) ?? []).map(Number);
      const [x0, y0] = num(a.querySelector('.shaft')!.getAttribute('d')!);
      const [x1, y1] = num(a.querySelector('.head')!.getAttribute('d')!);
      return { label: a.querySelector('text')!.textContent, start: { x: x0, y: y0 }, tip: { x: x1, y: y1 }, from: rect(v), to: rect(t) };
    }, [victim, thief]);
    assert.ok(arrow, 'no steal arrow drawn');
    assert.equal(arrow.label, `runqsteal: ${n} Gs`);
    const inside = (pt: { x: number; y: number }, r: { left: number; right: number; top: number; bottom: number }) =>
      pt.x >= r.left && pt.x <= r.right && pt.y >= r.top && pt.y <= r.bottom;
    assert.ok(inside(arrow.start, arrow.from), `the arrow starts in P${victim}'s queue: ${JSON.stringify(arrow)}`);
    assert.ok(inside(arrow.tip, arrow.to), `the arrow points into P${thief}'s queue: ${JSON.stringify(arrow)}`);
    await page.waitForTimeout(500); // the arrow's draw-in
    await page.screenshot({ path: path.join(SHOTS, 'panel-anim-steal.png') });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('a syscall: M + G flagged in the kernel lane, then sysmon retakes the P and hands it to a new thread', async () => {
    const { data } = scenarioData('syscall-handoff');
    const log = logOf(data);
    const retake = find(log, (i) => log.kind(i) === Ev.SysmonRetake && log.kind(i + 2) === Ev.MCreate);
    assert.ok(retake > 0);
    const enter = (() => { for (let j = retake; j >= 0; j--) if (log.kind(j) === Ev.GoSysEnter && log.g(j) === log.g(retake)) return j; return -1; })();
    const m = log.m(enter), g = log.g(enter), p = log.p(enter), newM = log.m(retake + 2);
    const page = await stepOnto(h, data, enter);
    assert.match(await classes(page, `#kernel .krow[data-m="${m}"]`) ?? '', /\bfx-syscall\b/);
    assert.equal(await caption(page, `m${m}`), `entersyscall: M${m} blocks in the kernel with G${g}`);
    assert.equal(await page.locator(`#kernel .krow[data-m="${m}"] .g[data-g="${g}"].fx-syscall`).count(), 1);
    // Go 1.26 removed _Psyscall (the P stays wired to the M); earlier versions leave the P behind.
    assert.equal(await caption(page, `p${p}`), data.config.goVersion >= 26
      ? `stays with M${m} (Go 1.26 has no _Psyscall); sysmon may still take it`
      : 'left in _Psyscall, no M: sysmon may retake it (after ≥ 20 µs)');
    await page.screenshot({ path: path.join(SHOTS, 'panel-anim-syscall.png') });
    await step(page, retake + 2);
    assert.match(await classes(page, `.p[data-p="${p}"]`) ?? '', /\bfx-handoff\b/);
    assert.equal(await caption(page, `p${p}`), `retaken by sysmon: handed off (handoffp) → M${newM}`);
    assert.equal(await caption(page, `m${newM}`), `new thread M${newM} (newm)`);
    assert.match(await classes(page, `.p[data-p="${p}"] .mslot`) ?? '', /\bfx-newm\b/);
    assert.match(await page.locator(`.p[data-p="${p}"] .mslot`).innerText(), new RegExp(`M${newM} · waking`));
    assert.equal(await caption(page, `m${m}`), `still in the syscall with G${g}: loses P${p}`);
    assert.match(await caption(page, 'sysmon'), new RegExp(`retake: P${p}`));
    await page.screenshot({ path: path.join(SHOTS, 'panel-anim-handoff.png') });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('back from a syscall: the fast path gets its P back; with no idle P the G goes to the global queue', async () => {
    const { data } = scenarioData('syscall-handoff');
    const log = logOf(data);
    const fast = find(log, (i) => log.kind(i) === Ev.GoSysExit && log.a(i) === SysExit.FastOldP);
    const slow = find(log, (i) => log.kind(i) === Ev.GoSysExit && log.a(i) === SysExit.Slow);
    assert.ok(fast > 0 && slow > 0, 'both paths occur');
    let page = await stepOnto(h, data, fast);
    const fp = log.p(fast), fg = log.g(fast);
    assert.equal(await page.locator(`.p[data-p="${fp}"] .runslot .g[data-g="${fg}"].fx-fast`).count(), 1);
    assert.equal(await caption(page, `g${fg}`), `exitsyscall fast path: got P${fp} back`);
    await page.close();
    page = await stepOnto(h, data, slow);
    const sg = log.g(slow);
    await step(page, slow + 1); // its GoEnqueue onto the global queue
    assert.equal(await page.locator(`#globalq .g[data-g="${sg}"].fx-slow`).count(), 1);
    assert.equal(await caption(page, `g${sg}`), 'no idle P → global run queue (exitsyscall0)');
    assert.match(await classes(page, '#globalq') ?? '', /\bfx-slow\b/);
    // Its M is back from the kernel with no G until it parks: no ghost G in the kernel lane.
    assert.doesNotMatch(await page.locator('#kernel .body').innerText(), /G-1/);
    assert.match(await page.locator(`#kernel .krow[data-m="${log.m(slow)}"]`).innerText(), /back from its syscall without a P: it parks next \(stopm\)/);
    await page.screenshot({ path: path.join(SHOTS, 'panel-anim-sysexit.png') });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('a timer wake-up and a preemption at 10 ms: the woken G to runnext, the preempted G to the global queue', async () => {
    const { data } = scenarioData('tight-loop-preemption');
    const log = logOf(data);
    const pre = find(log, (i) => log.kind(i) === Ev.SysmonPreempt);
    assert.ok(pre > 0);
    const pg = log.g(pre);
    const enq = find(log, (i) => log.kind(i) === Ev.GoEnqueue && log.g(i) === pg, pre);
    const page = await stepOnto(h, data, pre);
    assert.equal(await page.locator(`.runslot .g[data-g="${pg}"].fx-preempt`).count(), 1, 'marked while still running');
    await step(page, enq);
    assert.equal(await page.locator(`#globalq .g[data-g="${pg}"].fx-preempt`).count(), 1);
    assert.match(await caption(page, `g${pg}`), /^preempted after 1\d(\.\d+)? ms \(sysmon → async preemption, SIGURG\) → global run queue$/);
    assert.match(await caption(page, 'sysmon'), /ran > 10 ms/);
    await page.screenshot({ path: path.join(SHOTS, 'panel-anim-preempt.png') });
    await page.close();

    const fire = find(log, (i) => log.kind(i) === Ev.TimerFire && log.g(i) >= 0);
    assert.ok(fire > 0);
    const tg = log.g(fire);
    const put = find(log, (i) => log.kind(i) === Ev.GoEnqueue && log.g(i) === tg && log.b(i) === Why.Timer, fire);
    const tp = log.p(put);
    const page2 = await stepOnto(h, data, fire);
    await step(page2, put);
    assert.equal(await page2.locator(`.p[data-p="${tp}"] .nextslot .g[data-g="${tg}"].fx-timer`).count(), 1);
    assert.equal(await caption(page2, `g${tg}`), `timer fired → runnext of P${tp}`);
    await page2.screenshot({ path: path.join(SHOTS, 'panel-anim-timer.png') });
    assert.deepEqual(pageErrors(page2), []);
    await page2.close();
  });

  it('the netpoller: a G parks on its fd, and a poll makes it ready', async () => {
    const { data } = scenarioData('netpoller');
    const log = logOf(data);
    const park = find(log, (i) => log.kind(i) === Ev.GoNetpollPark);
    const poll = find(log, (i) => log.kind(i) === Ev.Netpoll && log.a(i) > 0 && log.b(i) === PollWho.Blocking);
    assert.ok(park > 0 && poll > park);
    const page = await stepOnto(h, data, park);
    assert.equal(await page.locator(`#netpoll .g[data-g="${log.g(park)}"].fx-park`).count(), 1);
    assert.match(await caption(page, `g${log.g(park)}`), /^parked on \S+ \(netpollblock, no thread\)$/);
    await page.close();
    const page2 = await stepOnto(h, data, poll);
    assert.match(await classes(page2, '#netpoll') ?? '', /\bfx-inject\b/);
    // The polling M runs the first ready G itself (findRunnable) and injects only the rest.
    const n = log.a(poll);
    assert.equal(await caption(page2, 'netpoll'), `+${n} ready: M${log.m(poll)} (epoll_wait) runs the first${n > 1 ? `, injects ${n - 1} (injectglist)` : ''}`);
    await page2.screenshot({ path: path.join(SHOTS, 'panel-anim-netpoll.png') });
    await page2.close();
    // A poll that found several: the rest are injected into run queues (GoEnqueue, Why.Inject).
    const inj = find(log, (i) => log.kind(i) === Ev.GoEnqueue && log.b(i) === Why.Inject);
    assert.ok(inj > 0);
    let from = inj;
    while (log.kind(from) !== Ev.Netpoll) from--;
    const page3 = await stepOnto(h, data, from);
    await step(page3, inj);
    const ig = log.g(inj);
    assert.equal(await page3.locator(`.g[data-g="${ig}"].fx-inject`).count(), 1);
    assert.match(await caption(page3, `g${ig}`), /^I\/O ready → (runnext of P\d+|P\d+'s local queue|global run queue)$/);
    assert.match(await caption(page3, 'netpoll'), new RegExp(`^\\+${log.a(from)} ready: .*injects ${log.a(from) - 1} \\(injectglist\\)`));
    await page3.close();
  });

  it('checkdead: a deadlock banner over the diagram at the exit, with the asleep Gs marked', async () => {
    const { data } = scenarioData('deadlock');
    const log = logOf(data);
    const exit = find(log, (i) => log.kind(i) === Ev.Exit);
    const page = await stepOnto(h, data, exit, { theme: 'light' });
    assert.match(await page.locator('#fxbanner').innerText(), /^checkdead: fatal error: all goroutines are asleep - deadlock! — no M is running/);
    assert.ok(await page.locator('#fxbanner').isVisible());
    assert.match(await classes(page, '#waiting') ?? '', /\bfx-deadlock\b/);
    await page.screenshot({ path: path.join(SHOTS, 'panel-anim-deadlock.png') });
    await page.keyboard.press('ArrowLeft');
    assert.equal(await playhead(page), exit - 1);
    assert.equal(await page.locator('#fxbanner').isVisible(), false, 'the banner belongs to the exit event');
    await page.close();
  });

  it('while playing, the marks follow the playhead (a steal is marked as playback passes it, then cleared)', async () => {
    const { data } = scenarioData('work-stealing');
    const log = logOf(data);
    const steal = find(log, (i) => log.kind(i) === Ev.Steal && log.a(i) >= 3);
    const thief = log.p(steal);
    const page = await stepOnto(h, data, steal - 3);
    await page.evaluate(() => { const d = document.querySelector('#speed'); d.value = '25'; d.dispatchEvent(new Event('change')); });
    await page.keyboard.press(' ');
    await page.waitForFunction((p) => document.querySelector(`.p[data-p="${p}"].fx-thief`) !== null, thief, { timeout: 10_000 });
    // Past the batch (n events at 25 ev/s) the next steps are other moments.
    await page.waitForFunction((p) => document.querySelector(`.p[data-p="${p}"].fx-thief`) === null, thief, { timeout: 10_000 });
    await page.keyboard.press(' ');
    assert.ok((await playhead(page)) >= steal + log.a(steal) - 1);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('the effects pulse only without prefers-reduced-motion; the captions stay either way', async () => {
    const { data } = scenarioData('work-stealing');
    const log = logOf(data);
    const steal = find(log, (i) => log.kind(i) === Ev.Steal && log.a(i) >= 3);
    for (const reducedMotion of [false, true]) {
      const page = await stepOnto(h, data, steal, { reducedMotion });
      const names = await page.evaluate(() => document.getAnimations().map((a: any) => a.animationName).filter((n: unknown) => typeof n === 'string' && n.startsWith('fx-')));
      if (reducedMotion) assert.deepEqual(names, []);
      else assert.ok(names.includes('fx-pulse') && names.includes('fx-cap-in'), names.join(', '));
      assert.match(await caption(page, `p${log.p(steal)}`), /stole/);
      await page.close();
    }
  });
});
