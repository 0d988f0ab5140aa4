// UI end to end in the real VS Code workbench (the VS Code server + headless Debian chromium,
// driven by playwright-core), with the extension loaded from this folder and examples/ open — the
// same set-up as `npm start`. What a user does: right-click in the editor and in the explorer →
// Simulate Scheduler → the panel shows the run; hover a `go` statement; read the Problems panel.
// Screenshots go to artifacts/screenshots/ (CI keeps them as artifacts).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { ROOT, launchChromium, startServer, type VsCodeServer } from '../../scripts/vscode/vscode-server';

const SHOTS = join(ROOT, 'artifacts/screenshots');
const EXAMPLES = join(ROOT, 'examples');

describe('VS Code UI (examples/ open, extension loaded from source)', function () {
  this.timeout(120_000);
  let server: VsCodeServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

  const quickInput = () => page.locator('.quick-input-widget');

  /** Types into Quick Open (Ctrl+P) or the palette (F1), picks the row showing `pick`, waits for the widget to close. */
  async function quickPick(key: string, text: string, pick: string): Promise<void> {
    await quickInput().waitFor({ state: 'hidden' });
    await page.keyboard.press(key);
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.type(text);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first();
    await row.waitFor();
    await row.click();
    await quickInput().waitFor({ state: 'hidden' });
  }

  async function openFile(name: string): Promise<void> {
    await quickPick('Control+P', name, name);
    await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 20_000 });
  }

  async function runPaletteCommand(title: string): Promise<void> {
    await quickPick('F1', title, title);
  }

  /** The panel's document: the webview's outer iframe, then its active inner frame. */
  function panelFrame(): FrameLocator {
    return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  async function closeEditors(): Promise<void> {
    await page.keyboard.press('Escape');
    await runPaletteCommand('View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** Right-clicks `target`, picks "Simulate Scheduler", and waits for the panel tab of `file`. */
  async function simulateFromContextMenu(target: ReturnType<Page['locator']>, file: string, shotName?: string): Promise<void> {
    const tab = page.locator('.tab', { hasText: `GMP Tutor: ${file}` }).first();
    // Right after the workbench loads, the menu can open before the extension's menu items are
    // registered, and a click during the menu's fade-in can land before the item takes clicks:
    // close the menu and try again, as a user would.
    for (let attempt = 1; ; attempt++) {
      try {
        await target.click({ button: 'right' });
        const item = page.locator('.context-view .action-item', { hasText: 'Simulate Scheduler' }).first();
        await item.waitFor({ timeout: 10_000 });
        await page.waitForTimeout(400); // the fade-in
        if (shotName) await shot(shotName);
        await item.click();
        await tab.waitFor({ timeout: 10_000 });
        return;
      } catch (e) {
        if (attempt === 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
  }

  /** Waits until the panel shows the run of `file` (its title), then returns what the diagram shows. */
  async function panelShows(file: string): Promise<{ ps: number; reason: string | null; verdict: string; stats: string[] }> {
    const f = panelFrame();
    try {
      await f.locator('h1.title', { hasText: `GMP Tutor: ${file}` }).waitFor({ timeout: 30_000 });
    } catch {
      const shown = await f.locator('body').innerText({ timeout: 2_000 }).catch(() => '(no panel document)');
      assert.fail(`the panel did not show the run of ${file}; it shows: ${JSON.stringify(shown.slice(0, 300))}`);
    }
    await f.locator('.p[data-p="0"]').waitFor({ timeout: 30_000 });
    return {
      ps: await f.locator('.p[data-p]').count(),
      reason: await f.locator('#verdict').getAttribute('data-reason'),
      verdict: await f.locator('#verdict').innerText(),
      stats: await f.locator('#stats .stat .sl').allInnerTexts(),
    };
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    if (!process.env.GMP_SKIP_BUILD) execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'pipe' });
    server = await startServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url({ folder: EXAMPLES, extensionDevelopmentPath: ROOT }));
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(`failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
    }
  });

  it('the explorer lists the example programs', async () => {
    const rows = page.locator('.explorer-folders-view .monaco-list-row');
    const names = await rows.allInnerTexts();
    for (const n of ['blocking-syscall.go', 'deadlock.go', 'goroutines-waitgroup.go']) {
      assert.ok(names.some((t) => t.includes(n)), `${n} not in the explorer: ${names.join(', ')}`);
    }
  });

  it('hover on a `go` statement explains what the scheduler does', async () => {
    await openFile('goroutines-waitgroup.go');
    const line = page.locator('.monaco-editor .view-line', { hasText: /^\s*go\s/ }).first();
    await line.waitFor({ timeout: 20_000 });
    const goToken = line.locator('span > span', { hasText: /^go$/ }).first();
    const hover = page.locator('.monaco-hover:visible', { hasText: 'runnext' }).first();
    // Hovering before the extension has activated and parsed the file shows nothing, and the
    // editor asks again only when the mouse moves: move off and back on, as a user would.
    const deadline = Date.now() + 40_000;
    for (;;) {
      const box = await goToken.boundingBox();
      assert.ok(box, 'the `go` keyword is not on screen');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      try {
        await hover.waitFor({ timeout: 5_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await page.mouse.move(5, 450);
      }
    }
    const text = await hover.innerText();
    assert.match(text, /go.?: a new G is created and queued in this P's runnext/);
    await shot('hover-go-statement');
    await page.mouse.move(5, 450);
    await page.keyboard.press('Escape');
  });

  it('the Problems panel lists the diagnostics of the open files', async () => {
    await openFile('blocking-syscall.go');
    await openFile('deadlock.go');
    await page.keyboard.press('Control+Shift+M');
    const syscall = page.locator('.markers-panel .monaco-list-row', { hasText: 'blocks its OS thread' });
    await syscall.first().waitFor({ timeout: 30_000 });
    // The deadlock comes from the background simulation (a little later than the syntactic ones).
    const deadlock = page.locator('.markers-panel .monaco-list-row', { hasText: 'all goroutines are asleep - deadlock!' });
    await deadlock.first().waitFor({ timeout: 30_000 });
    await shot('problems-panel');
    const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    assert.ok(rows.some((r) => /blocking-syscall\.go/.test(r)), `no file row for blocking-syscall.go: ${rows.join(' | ')}`);
    assert.ok(rows.some((r) => /deadlock\.go/.test(r)), `no file row for deadlock.go: ${rows.join(' | ')}`);
    await page.keyboard.press('Control+Shift+M'); // toggles the panel closed again
  });

  it('right-click in the editor → Simulate Scheduler → the panel shows the run', async () => {
    await closeEditors();
    await openFile('blocking-syscall.go');
    const line = page.locator('.monaco-editor .view-line', { hasText: 'func main' }).first();
    await simulateFromContextMenu(line, 'blocking-syscall.go', 'editor-context-menu');
    const panel = await panelShows('blocking-syscall.go');
    // GOMAXPROCS "auto" is this machine's core count, as for the real runtime: one P card each.
    assert.equal(panel.ps, availableParallelism());
    assert.equal(panel.reason, 'main-returned');
    for (const label of ['goroutines created', 'threads (Ms)', 'hand-offs']) assert.ok(panel.stats.includes(label), `header stats lack "${label}": ${panel.stats.join(', ')}`);
    await shot('panel-from-editor');
  });

  it('right-click in the explorer → Simulate Scheduler → the panel shows that file', async () => {
    await closeEditors();
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'deadlock.go' }).first();
    await simulateFromContextMenu(row, 'deadlock.go', 'explorer-context-menu');
    const panel = await panelShows('deadlock.go');
    assert.equal(panel.reason, 'deadlock');
    assert.match(panel.verdict, /all goroutines are asleep - deadlock!/);
    await shot('panel-from-explorer');
  });

  it('after a window reload the panel comes back with the file it showed and its run', async () => {
    if (!(await page.locator('.tab', { hasText: 'GMP Tutor: deadlock.go' }).count())) {
      await closeEditors();
      await simulateFromContextMenu(page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'deadlock.go' }).first(), 'deadlock.go');
      await panelShows('deadlock.go');
    }
    // VS Code restores the panel through the extension's serializer. Reload Window (not a bare page
    // reload) lets the workbench save its editors first.
    await runPaletteCommand('Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'GMP Tutor: deadlock.go' }).first().waitFor({ timeout: 30_000 });
    const panel = await panelShows('deadlock.go');
    assert.equal(panel.reason, 'deadlock');
    assert.match(panel.verdict, /all goroutines are asleep - deadlock!/);
    await shot('panel-after-reload');
  });

  it('every example: explorer right-click → the panel shows its diagram and outcome', async () => {
    const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.go')).sort();
    assert.ok(examples.length >= 6, `examples/: ${examples.join(', ')}`);
    for (const file of examples) {
      await closeEditors();
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first();
      await simulateFromContextMenu(row, file);
      const panel = await panelShows(file);
      assert.ok(panel.ps >= 1, `${file}: no P in the diagram`);
      assert.equal(panel.reason, file === 'deadlock.go' ? 'deadlock' : 'main-returned', `${file}: ${panel.verdict}`);
      await shot(`example-${file.replace(/\.go$/, '')}`);
    }
  });

  it('the workbench raised no page errors from the extension or the panel', () => {
    const ours = pageErrors.filter((e) => /gmp|webview\.js|panel/i.test(e));
    assert.deepEqual(ours, []);
  });
});
