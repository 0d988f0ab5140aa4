// The panel in headless Chromium: the built bundle in the page panelHtml makes (same CSP as in
// VS Code), a faked acquireVsCodeApi, recorded simulations posted as the host posts them. Each
// test reads what a learner would read: counts and labels at given events, the verdict, the
// output so far, and what the controls and keys do.
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { Ev, Why } from '../../src/core/trace/events';
import { buildIndex } from '../../src/core/trace/state';
import { runSimulation } from '../../src/extension/simulate';
import { parseGo } from '../../src/core/golang/parser';
import { loadParser } from '../unit/interp-helpers';
import { openPanel, pageErrors, postMessages, postSimulation, posted, ROOT, startHarness, type Harness } from './harness';
import { scenarioData, toSimulationData } from './recorded';
import * as A from '../../src/core/engine/actions';
import { simulate } from '../../src/core/engine/scheduler';
import { simulationParts, type SimulationData } from '../../src/protocol';

declare const window: any;
declare const document: any;
declare const requestAnimationFrame: any;
declare const sessionStorage: any;
declare const KeyboardEvent: any;
declare const Event: any;

const SHOTS = path.join(ROOT, 'artifacts/screenshots');

const SLEEPER = `package main

import (
	"fmt"
	"time"
)

func main() {
	done := make(chan bool)
	go func() {
		fmt.Println("worker starts")
		time.Sleep(5 * time.Millisecond)
		fmt.Println("worker done")
		done <- true
	}()
	<-done
	fmt.Println("main exits")
}
`;

async function goData(src: string, fileName: string, gomaxprocs = 2): Promise<SimulationData> {
  await loadParser();
  return runSimulation({
    runId: Math.floor(Math.random() * 1e6) + 1000, text: src, fileUri: `file:///project/${fileName}`, fileName, filePath: fileName,
    config: { gomaxprocs, seed: 1, goVersion: 22, asyncPreemption: true },
    budget: { virtualTimeMs: 60_000, events: 1_000_000, goroutines: 100_000 }, maxWallMs: 20_000,
  }, parseGo).data;
}

const text = (page: Page, sel: string) => page.locator(sel).first().innerText();
const where = (page: Page) => text(page, '.where');
/** "event 12 / 431 · …" → 11 (the index). */
async function playhead(page: Page): Promise<number> {
  // The panel draws on the next animation frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const m = /event ([\d,]+) \//.exec(await where(page));
  return Number(m![1]!.replace(/,/g, '')) - 1;
}

/** Seeks with the event log: filter by kind (and words), click the nth row. */
async function seekByLog(page: Page, kind: number, nth = 0, words = ''): Promise<number> {
  await page.evaluate(([k, w]) => {
    const f = document.querySelector('#evfilter');
    f.value = w;
    f.dispatchEvent(new Event('input'));
    const d = document.querySelector('#evkind');
    d.value = String(k);
    d.dispatchEvent(new Event('change'));
  }, [kind, words] as const);
  const row = page.locator('.evrow').nth(nth);
  const i = Number(await row.getAttribute('data-i'));
  await row.click();
  await page.waitForFunction((want) => new RegExp(`event ${(want + 1).toLocaleString('en-US')} /`).test(document.querySelector('.where').textContent), i);
  return i;
}

async function pressUntil(page: Page, key: string, index: number): Promise<void> {
  for (let guard = 0; guard < 10_000 && (await playhead(page)) !== index; guard++) await page.keyboard.press(key);
}

describe('panel (headless Chromium)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => { await h?.close(); });

  it('says ready first, loads under the strict CSP without violations, and waits for a simulation', async () => {
    const page = await openPanel(h);
    const msgs = await posted(page);
    assert.deepEqual(msgs[0], { type: 'ready', version: 1, chunkedLog: true });
    assert.match(await text(page, '#banner'), /No simulation yet/);
    const { data } = scenarioData('runnext-order');
    await postSimulation(page, data);
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(pageErrors(page), []);
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await page.close();
  });

  it('assembles a run sent in parts (simulation + logChunks) and shows it once whole', async () => {
    const { data } = scenarioData('goroutines-1000');
    const parts = [...simulationParts(data, 1000)];
    assert.ok(parts.length > 3);
    const page = await openPanel(h);
    await postMessages(page, parts.slice(0, 2));
    await page.waitForFunction(() => /Receiving [\d,]+ events/.test(document.querySelector('#banner').textContent));
    assert.equal(await page.evaluate(() => document.body.dataset.runId), undefined, 'nothing drawn from half a run');
    await postMessages(page, parts.slice(2));
    await page.waitForFunction((id) => document.body.dataset.runId === String(id), data.runId);
    await page.keyboard.press('End');
    assert.equal(await playhead(page), data.log.length - 1);
    assert.match(await page.evaluate(() => document.querySelector('#output').textContent), /all 1000 goroutines finished\n$/);
    await page.close();
  });

  it('at a steal, the thief P holds the stolen half in its local queue and the victim lost it', async () => {
    const { data, result } = scenarioData('work-stealing');
    const log = result.log;
    let steal = -1;
    for (let i = 0; i < log.length && steal < 0; i++) if (log.kind(i) === Ev.Steal && log.a(i) >= 3) steal = i;
    assert.ok(steal >= 0, 'the scenario steals a batch');
    const n = log.a(steal), thief = log.p(steal), victim = log.b(steal);
    const before = buildIndex(log).stateAtEvent(steal - 1);
    const victimBefore = before.ps[victim]!.runq.length;
    const thiefBefore = before.ps[thief]!.runq.length;
    // The steal's other n − 1 Gs land in the thief's queue by GoEnqueue(Steal) right after.
    const last = steal + n - 1;
    for (let j = steal + 1; j <= last; j++) assert.ok(log.kind(j) === Ev.GoEnqueue && log.b(j) === Why.Steal);

    const page = await openPanel(h);
    await postSimulation(page, data);
    const i = await seekByLog(page, Ev.Steal, 0, `p${thief}`);
    assert.ok(i <= steal);
    await pressUntil(page, 'ArrowRight', last);
    const card = (p: number) => page.locator(`.p[data-p="${p}"]`);
    assert.equal(await card(thief).locator('.qslot .lab').innerText(), `local ${thiefBefore + n - 1}/256`);
    assert.equal(await card(victim).locator('.qslot .lab').innerText(), `local ${victimBefore - n}/256`);
    // runqsteal returns one G to run at once: the thief starts it.
    const kept = log.g(steal);
    let start = last + 1;
    while (start < log.length && !(log.kind(start) === Ev.GoStart && log.g(start) === kept)) start++;
    await pressUntil(page, 'ArrowRight', start);
    assert.equal(await card(thief).locator('.runslot .g').getAttribute('data-g'), String(kept));
    assert.match(await text(page, '#stats [data-stat="steals"] .sv'), /^[1-9]/);
    await page.screenshot({ path: path.join(SHOTS, 'panel-steal-dark.png') });
    // The narration names the steal while it is the most instructive recent event.
    await pressUntil(page, 'ArrowLeft', steal);
    assert.match(await text(page, '#narration'), /steal/i);
    await page.close();
  });

  it('shows the deadlock verdict, the blocked Gs by wait reason, and checkdead in the narration at the end', async () => {
    const { data } = scenarioData('deadlock');
    const page = await openPanel(h, { theme: 'light' });
    await postSimulation(page, data);
    assert.match(await text(page, '#verdict'), /deadlock/);
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector('#verdict').classList.contains('now'));
    assert.match(await text(page, '#narration'), /all goroutines are asleep/);
    const groups = await page.locator('#waiting .wgroup .reason').allInnerTexts();
    assert.ok(groups.length >= 1 && groups.every((g) => / · \d+$/.test(g)), groups.join(', '));
    assert.equal(await text(page, '#stats [data-stat="alive"] .sv'), String(data.goroutines.length));
    await page.screenshot({ path: path.join(SHOTS, 'panel-deadlock-light.png') });
    await page.close();
  });

  it('a run cut at the virtual-time budget says the program had not ended and which setting gives it longer', async () => {
    const { data } = scenarioData('cpu-bound', { maxVirtualTimeNs: 1e6 });
    assert.equal(data.exit.reason, 'budget');
    const page = await openPanel(h);
    await postSimulation(page, data);
    assert.match(await text(page, '#verdict'), /stopped at the virtual-time budget \(1 ms\) \(the program had not ended; the setting gmpTutor\.budget\.virtualTimeMs gives it longer\)/);
    await page.close();
  });

  it('the Assumptions say where a Go 1.26 run is drawn the Go 1.19 way (a P in a syscall), and only for Go 1.26', async () => {
    const page = await openPanel(h);
    for (const [goVersion, shown] of [[26, true], [22, false]] as const) {
      const { data } = scenarioData('syscall-handoff');
      await postSimulation(page, { ...data, config: { ...data.config, goVersion } });
      const notes = await page.locator('#assumptions .notes li').allInnerTexts();
      assert.equal(notes.some((n) => /Go 1\.26: a P whose M is in a syscall stays wired/.test(n)), shown, notes.join('\n'));
    }
    await page.close();
  });

  it('prints the output up to the playhead, and a sleeping G shows when its timer fires', async () => {
    const data = await goData(SLEEPER, 'sleeper.go');
    const page = await openPanel(h);
    await postSimulation(page, data);
    const firstPrint = await seekByLog(page, Ev.Print, 0);
    assert.ok(firstPrint > 0);
    assert.equal(await page.evaluate(() => document.querySelector('#output').textContent), 'worker starts\n');
    // The sleep: the G is in the Sleeping box with its wake time (5 ms after it went to sleep).
    await page.evaluate(() => { const d = document.querySelector('#evkind'); d.value = '0'; d.dispatchEvent(new Event('change')); });
    await pressUntil(page, 'ArrowRight', firstPrint);
    let sawSleeper = '';
    for (let k = 0; k < 20 && !sawSleeper; k++) {
      await page.keyboard.press('ArrowRight');
      const s = await page.locator('#sleeping .wake').allInnerTexts();
      if (s.length) sawSleeper = s[0]!;
    }
    assert.match(sawSleeper, /^wakes at 5(\.\d+)? ms$/);
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector('#output').textContent === 'worker starts\nworker done\nmain exits\n');
    assert.match(await text(page, '#verdict'), /main returned/);
    await page.close();
  });

  it('controls and keys move the playhead; play advances and pauses; rerun and export post to the host', async () => {
    const { data } = scenarioData('goroutines-1000');
    const page = await openPanel(h);
    await postSimulation(page, data);
    // A new run opens where main starts running (before it: the empty start-up).
    const start = Array.from(data.log.kind).indexOf(Ev.GoStart);
    assert.equal(await playhead(page), start);
    await page.keyboard.press('Home');
    assert.equal(await playhead(page), 0);
    await page.locator('#step').click();
    assert.equal(await playhead(page), 1);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await playhead(page), 3);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await playhead(page), 2);
    await page.keyboard.press('End');
    assert.equal(await playhead(page), data.log.length - 1);
    await page.keyboard.press('Home');
    assert.equal(await playhead(page), 0);
    await page.keyboard.press('Shift+ArrowRight');
    const interesting = await playhead(page);
    assert.ok(interesting > 0);
    // Play at 1000 events/s for a moment, then pause with Space.
    await page.evaluate(() => { const d = document.querySelector('#speed'); d.value = '1000'; d.dispatchEvent(new Event('change')); });
    await page.keyboard.press(' ');
    await page.waitForTimeout(400);
    await page.keyboard.press(' ');
    const stopped = await playhead(page);
    assert.ok(stopped > interesting + 50, `played from ${interesting} to ${stopped}`);
    await page.waitForTimeout(200);
    assert.equal(await playhead(page), stopped, 'paused');
    // A queue longer than the cards show: chips for the first Gs, then "+N more".
    await page.evaluate(() => { const d = document.querySelector('#procs'); d.value = '8'; d.dispatchEvent(new Event('change')); });
    await page.evaluate(() => { const f = document.querySelector('#seed'); f.value = '42'; f.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })); });
    await page.locator('vscode-button[aria-label^="Export trace"]').click();
    const msgs = (await posted(page)).filter((m) => m.type !== 'ready');
    assert.deepEqual(msgs, [{ type: 'rerun', gomaxprocs: 8 }, { type: 'rerun', seed: 42 }, { type: 'exportTrace' }]);
    await page.close();
  });

  it('draws counts instead of Gs when a queue is long ("+N more")', async () => {
    const { data, result } = scenarioData('goroutines-1000', { gomaxprocs: 1 });
    // The moment main has created every G: the longest local queue.
    const ix = buildIndex(result.log);
    let best = 0, bestLen = 0;
    for (let i = 0; i < result.log.length; i += 97) {
      const s = ix.stateAtEvent(i);
      const len = s.ps[0]!.runq.length + s.global.length;
      if (len > bestLen) { bestLen = len; best = i; }
    }
    const s = ix.stateAtEvent(best);
    const page = await openPanel(h);
    await postSimulation(page, data);
    await playhead(page);
    // Seek with the event log: scroll its virtual list to event `best` and click that row.
    await page.evaluate((i) => {
      const v = document.querySelector('.evscroll');
      v.scrollTop = i * 20;
      v.dispatchEvent(new Event('scroll'));
    }, best);
    await page.waitForSelector(`.evrow[data-i="${best}"]`);
    await page.locator(`.evrow[data-i="${best}"]`).click();
    assert.equal(await playhead(page), best);
    const q = s.ps[0]!.runq.length;
    assert.equal(await page.locator('.p[data-p="0"] .qslot .lab').innerText(), `local ${q}/256`);
    const shown = await page.locator('.p[data-p="0"] .qslot .g').count();
    assert.ok(shown < q);
    assert.equal(await page.locator('.p[data-p="0"] .qslot .more').innerText(), `+${q - shown} more`);
    assert.equal(await text(page, '#globalq .count'), `${s.global.length} G${s.global.length === 1 ? '' : 's'}`);
    await page.close();
  });

  it('a long event log (its scroll area compressed, as past a browser\'s tallest element) still follows the playhead', async () => {
    const r = simulate(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      for (let i = 0; i < 12_000; i++) {
        yield A.wgAdd(wg, 1);
        yield A.go(function* () { yield A.work(1_000); yield A.wgDone(wg); });
      }
      yield A.wgWait(wg);
    }, { gomaxprocs: 4, seed: 1 });
    assert.ok(r.log.length * 20 > 1_000_000, `${r.log.length} events`);
    const data = toSimulationData(r, 'package main\n', 'many.go', { gomaxprocs: 4, seed: 1 });
    const page = await openPanel(h);
    await postSimulation(page, data);
    const currentRowInView = async () => page.evaluate(() => {
      const row = document.querySelector('.evrow.cur');
      const v = document.querySelector('.evscroll').getBoundingClientRect();
      if (!row) return null;
      const b = row.getBoundingClientRect();
      return { i: Number(row.dataset.i), inView: b.top >= v.top - 1 && b.bottom <= v.bottom + 1 };
    });
    for (const [key, want] of [['End', data.log.length - 1], ['Home', 0]] as const) {
      await page.keyboard.press(key);
      assert.equal(await playhead(page), want);
      assert.deepEqual(await currentRowInView(), { i: want, inView: true }, key);
    }
    // The middle, through the scrubber.
    await page.evaluate(() => { const s = document.querySelector('.scrub'); s.value = '500'; s.dispatchEvent(new Event('input')); });
    const mid = await playhead(page);
    assert.deepEqual(await currentRowInView(), { i: mid, inView: true });
    await page.close();
  });

  it('clicking a G reveals its line; the editor cursor on a go statement outlines the Gs it created', async () => {
    const { data } = scenarioData('goroutines-1000');
    const page = await openPanel(h);
    await postSimulation(page, data);
    for (let k = 0; k < 40; k++) await page.keyboard.press('ArrowRight');
    const chip = page.locator('.diagram .g:not([data-g="1"])').first();
    const g = Number(await chip.getAttribute('data-g'));
    await chip.click();
    const reveal = (await posted(page)).filter((m) => m.type === 'revealLine');
    assert.equal(reveal.length, 1);
    assert.equal(reveal[0]!.fileUri, data.fileUri);
    const line = reveal[0]!.line as number;
    assert.ok(line > 0 && /go func|fmt\.|wg\./.test(data.sourceLines[line - 1]!), `line ${line}: ${data.sourceLines[line - 1]}`);
    await page.waitForFunction((id) => document.querySelector('#gdetail').textContent.startsWith(`G${id}: `), g);
    // Cursor on the `go func` line: every drawn G but main is outlined.
    const goLine = data.sourceLines.findIndex((l) => l.includes('go func')) + 1;
    await page.evaluate(([uri, l]) => window.postMessage({ type: 'cursor', fileUri: uri, line: l }, '*'), [data.fileUri, goLine] as const);
    await page.waitForFunction(() => document.querySelectorAll('.diagram .g.hl').length > 0);
    const outlined = await page.locator('.diagram .g.hl').evaluateAll((els) => els.map((e) => Number(e.dataset.g)));
    assert.ok(!outlined.includes(1), 'main was not created by that go statement');
    assert.match(await text(page, '#cursorinfo'), new RegExp(`line ${goLine}: \\d+ live goroutines? created there`));
    await page.close();
  });

  it('playhead, speed and selection survive a reload (setState), and uncaught errors reach the host', async () => {
    const { data } = scenarioData('syscall-handoff');
    const page = await openPanel(h);
    await postSimulation(page, data);
    const sys = await seekByLog(page, Ev.GoSysEnter, 0);
    // The kernel lane: the M and its G, with the P left behind in _Psyscall.
    const kernel = await text(page, '#kernel .body');
    assert.match(kernel, /^M\d+/);
    await page.evaluate(() => { const d = document.querySelector('#speed'); d.value = '250'; d.dispatchEvent(new Event('change')); });
    const chip = page.locator('#kernel .g').first();
    const g = Number(await chip.getAttribute('data-g'));
    await chip.click();
    await page.screenshot({ path: path.join(SHOTS, 'panel-syscall-dark.png') });
    await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('vscode-state') || 'null')?.selectedG != null);
    await page.reload();
    await page.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'ready'));
    await postSimulation(page, data);
    assert.equal(await playhead(page), sys);
    assert.equal(await page.evaluate(() => document.querySelector('#speed').value), '250');
    assert.equal(await page.locator('#kernel .g.sel').getAttribute('data-g'), String(g));
    await page.evaluate(() => setTimeout(() => { throw new Error('boom from a test'); }, 0));
    await page.waitForFunction(() => window.__posted.some((m: { type: string; message?: string }) => m.type === 'webviewError' && /boom from a test/.test(m.message ?? '')));
    await page.close();
  });

  it('moves animate when stepping, unless the user prefers reduced motion; running and failure notices', async () => {
    const { data } = scenarioData('work-stealing');
    for (const reducedMotion of [false, true]) {
      const page = await openPanel(h, { reducedMotion });
      await postMessages(page, [{ type: 'running', runId: 77, fileName: 'work-stealing.go', config: data.config }]);
      await page.waitForFunction(() => /Simulating work-stealing\.go with GOMAXPROCS \d+, seed 1/.test(document.querySelector('#banner').textContent));
      await postSimulation(page, data);
      await seekByLog(page, Ev.Steal, 0);
      // One step moves a stolen G from the victim's queue to the thief's: its chip travels.
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(60);
      const running = await page.evaluate(() => document.getAnimations().filter((a: any) => a.effect?.target?.classList?.contains('g')).length);
      if (reducedMotion) assert.equal(running, 0, 'no animation with prefers-reduced-motion');
      else assert.ok(running > 0, 'the moved G animates');
      await postMessages(page, [{ type: 'runFailed', runId: 78, message: 'main.go:3:1: expected declaration' }]);
      await page.waitForFunction(() => /The simulation failed: main\.go:3:1: expected declaration/.test(document.querySelector('#banner').textContent));
      await page.close();
    }
  });

  it('screenshots: dark, light and high-contrast themes with a busy run', async () => {
    const { data } = scenarioData('work-stealing');
    for (const theme of ['dark', 'light', 'high-contrast'] as const) {
      const page = await openPanel(h, { theme });
      await postSimulation(page, data);
      await seekByLog(page, Ev.Steal, 0);
      await page.evaluate(() => { const d = document.querySelector('#evkind'); d.value = '0'; d.dispatchEvent(new Event('change')); });
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.screenshot({ path: path.join(SHOTS, `panel-${theme}.png`), fullPage: true });
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
  });
});
