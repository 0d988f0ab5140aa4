// The example programs through the panel: each simulated as the extension host does it, shown,
// and stepped to the moment it is about (a Go file's lesson must be visible in the diagram).
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parseGo } from '../../src/core/golang/parser';
import { runSimulation } from '../../src/extension/simulate';
import { Ev, EventLog } from '../../src/core/trace/events';
import type { SerializedLog } from '../../src/core/trace/events';
import type { SimulationData } from '../../src/protocol';
import { loadParser } from '../unit/interp-helpers';
import { openPanel, pageErrors, postSimulation, ROOT, startHarness, type Harness } from './harness';

declare const document: any;
declare const requestAnimationFrame: any;

const SHOTS = path.join(ROOT, 'artifacts/screenshots');

async function simulateExample(name: string, gomaxprocs = 4): Promise<SimulationData> {
  await loadParser();
  const text = readFileSync(path.join(ROOT, 'examples', name), 'utf8');
  return runSimulation({
    runId: 500 + name.length, text, fileUri: `file:///project/examples/${name}`, fileName: name, filePath: name,
    config: { gomaxprocs, seed: 1, goVersion: 22, asyncPreemption: true },
    budget: { virtualTimeMs: 60_000, events: 2_000_000, goroutines: 100_000 }, maxWallMs: 30_000,
  }, parseGo).data;
}

/** Steps the panel (→) to event i. */
async function stepTo(page: Page, i: number): Promise<void> {
  await page.keyboard.press('Home');
  // Shift+→ jumps between instructive events; → finishes the way.
  for (let guard = 0; guard < 5000; guard++) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const at = Number(/event ([\d,]+)/.exec(await page.locator('.where').innerText())![1]!.replace(/,/g, '')) - 1;
    if (at === i) return;
    await page.keyboard.press(at < i ? 'ArrowRight' : 'ArrowLeft');
  }
  assert.fail(`could not step to ${i}`);
}

const first = (data: SimulationData, pred: (log: EventLog, i: number) => boolean) => {
  const log = EventLog.fromJSON(data.log as unknown as SerializedLog);
  for (let i = 0; i < log.length; i++) if (pred(log, i)) return { i, log };
  return { i: -1, log };
};

describe('examples in the panel (headless Chromium)', function () {
  this.timeout(180_000);
  let h: Harness;
  before(async () => { h = await startHarness(); mkdirSync(SHOTS, { recursive: true }); });
  after(async () => { await h?.close(); });

  it('blocking-syscall.go: Ms with their Gs in the kernel lane, their Ps handed off', async () => {
    const data = await simulateExample('blocking-syscall.go');
    const { i, log } = first(data, (l, j) => l.kind(j) === Ev.SysmonRetake);
    assert.ok(i > 0, 'sysmon retakes a P');
    const page = await openPanel(h);
    await postSimulation(page, data);
    await stepTo(page, Math.min(i + 3, log.length - 1));
    assert.ok(await page.locator('#kernel .krow').count() >= 1);
    assert.match(await page.locator('#kernel .krow').first().innerText(), /^M\d+\s+G\d+\s+syscall/);
    assert.ok(Number(await page.locator('#stats [data-stat="handoffs"] .sv').innerText()) >= 1);
    await page.screenshot({ path: path.join(SHOTS, 'panel-example-blocking-syscall.png'), fullPage: true });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('network-server.go: Gs parked in the netpoller hold no thread', async () => {
    const data = await simulateExample('network-server.go');
    const { i } = first(data, (l, j) => l.kind(j) === Ev.GoNetpollPark);
    assert.ok(i > 0, 'a G parks in the netpoller');
    const page = await openPanel(h);
    await postSimulation(page, data);
    await stepTo(page, i);
    assert.ok(await page.locator('#netpoll .g').count() >= 1);
    await page.screenshot({ path: path.join(SHOTS, 'panel-example-network-server.png'), fullPage: true });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('cgo-call.go: a cgo call shows as cgo in the kernel lane', async () => {
    const data = await simulateExample('cgo-call.go');
    const { i } = first(data, (l, j) => l.kind(j) === Ev.GoSysEnter && l.a(j) === 1);
    assert.ok(i > 0, 'a cgo call');
    const page = await openPanel(h);
    await postSimulation(page, data);
    await stepTo(page, i);
    assert.match(await page.locator('#kernel .krow').first().innerText(), /cgo/);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('goroutines-waitgroup.go, gomaxprocs-cpu.go, deadlock.go: shown to the end with their verdict and output', async () => {
    for (const [name, reason] of [['goroutines-waitgroup.go', 'main-returned'], ['gomaxprocs-cpu.go', 'main-returned'], ['deadlock.go', 'deadlock']] as const) {
      const data = await simulateExample(name, 2);
      assert.equal(data.exit.reason, reason, name);
      const page = await openPanel(h, { theme: name === 'deadlock.go' ? 'light' : 'dark' });
      await postSimulation(page, data);
      await page.keyboard.press('End');
      await page.waitForFunction(() => document.querySelector('#verdict').classList.contains('now'));
      assert.equal(await page.locator('#verdict').getAttribute('data-reason'), reason);
      const stdout = await page.evaluate(() => document.querySelector('#output').textContent);
      if (reason === 'main-returned') assert.ok(stdout.length > 0, `${name} prints`);
      await page.screenshot({ path: path.join(SHOTS, `panel-example-${name.replace('.go', '')}.png`), fullPage: true });
      assert.deepEqual(pageErrors(page), [], name);
      await page.close();
    }
  });
});
