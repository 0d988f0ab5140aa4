// Headless-Chromium harness for the panel: a tiny in-process static server serves the built
// bundle, the styles and a page made by panelHtml (the same HTML the extension host serves, with
// the same CSP), a faked acquireVsCodeApi records what the panel posts and keeps its state in
// sessionStorage (so it survives a reload like VS Code's), and recorded simulations are posted
// to it as the host would.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { panelHtml, PANEL_ASSETS } from '../../src/extension/panelHtml';
import type { SimulationData } from '../../src/protocol';

// Page-side code in page.evaluate callbacks: the root tsconfig has no DOM types (src/core must not use them).
declare const window: any;
declare const document: any;
declare const performance: any;
declare const fetch: any;

export const ROOT = resolve(__dirname, '../..');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.html': 'text/html' };

/** The Chromium to drive: $CHROMIUM, else the first chromium on PATH. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  throw new Error('no chromium found on PATH (set CHROMIUM)');
}

export type Theme = 'dark' | 'light' | 'high-contrast';

export interface Harness {
  browser: Browser;
  base: string;
  /** Binary blobs served at /blob/<name> (large recorded runs for the benchmark). */
  blobs: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(join(ROOT, PANEL_ASSETS.script))) throw new Error(`${PANEL_ASSETS.script} is missing: run npm run build first`);
  const blobs = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const blob = url.pathname.startsWith('/blob/') ? blobs.get(url.pathname.slice(6)) : undefined;
    if (blob) { res.writeHead(200, { 'content-type': 'application/octet-stream' }); res.end(blob); return; }
    if (url.pathname === '/' || url.pathname === '/panel.html') {
      const base = `http://${req.headers.host}`;
      const theme = (url.searchParams.get('theme') ?? 'dark') as Theme;
      const html = panelHtml({
        cspSource: base, nonce: 'dGVzdG5vbmNlMTIzNDU2', scriptUri: `${base}/${PANEL_ASSETS.script}`,
        styleUris: [`${base}/test/webview/theme-${theme}.css`, ...PANEL_ASSETS.styles.map((s) => `${base}/${s}`)],
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    const rel = url.pathname.replace(/^\/+/, '');
    const allowed = rel.startsWith('dist/') || rel.startsWith('media/') || /^test\/webview\/theme-[a-z-]+\.css$/.test(rel);
    const file = join(ROOT, rel);
    if (!allowed || rel.includes('..') || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  return {
    browser, base: `http://127.0.0.1:${port}`, blobs,
    async close() { await browser.close(); await new Promise((r) => server.close(r)); },
  };
}

/**
 * The fake VS Code API: records posts in window.__posted, keeps state in sessionStorage, puts the
 * theme class on body (as VS Code does) and collects CSP violations. A string, not a function:
 * the test runner's transpiler decorates functions with helpers the page does not have.
 */
function fakeVsCode(theme: Theme): string {
  const cls = theme === 'high-contrast' ? 'vscode-high-contrast' : `vscode-${theme}`;
  return `(() => {
  const w = window;
  // The test runner's transpiler names functions with a __name helper; page.evaluate code needs it too.
  w.__name = w.__name || ((f) => f);
  w.__posted = [];
  w.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
  let acquired = false;
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => { w.__posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => JSON.parse(sessionStorage.getItem('vscode-state') || 'null'),
      setState: (s) => { sessionStorage.setItem('vscode-state', JSON.stringify(s)); },
    };
  };
  const mark = () => document.body && document.body.classList.add(${JSON.stringify(cls)});
  if (document.body) mark(); else document.addEventListener('DOMContentLoaded', mark);
})();`;
}

export interface OpenOptions {
  theme?: Theme; width?: number; height?: number; reducedMotion?: boolean;
  /** Lets page-side code fetch blobs (benchmark only; the tests keep the panel's CSP). */
  bypassCSP?: boolean;
}

export async function openPanel(h: Harness, opts: OpenOptions = {}): Promise<Page> {
  const theme = opts.theme ?? 'dark';
  const page = await h.browser.newPage({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    reducedMotion: opts.reducedMotion === false ? 'no-preference' : 'reduce',
    bypassCSP: opts.bypassCSP ?? false,
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as Page & { __errors: string[] }).__errors = errors;
  await page.addInitScript({ content: fakeVsCode(theme) });
  await page.goto(`${h.base}/?theme=${theme}`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return page;
}

export function pageErrors(page: Page): string[] { return (page as Page & { __errors?: string[] }).__errors ?? []; }

/** Typed arrays → tagged plain arrays (page.evaluate arguments are JSON-like), and back in the page. */
function encode(x: unknown): unknown {
  if (ArrayBuffer.isView(x)) return { __typed: x.constructor.name, values: Array.from(x as unknown as ArrayLike<number>) };
  if (Array.isArray(x)) return x.map(encode);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, encode(v)]));
  return x;
}

/** Posts host messages to the panel in order (typed arrays arrive as typed arrays, as with the real postMessage). */
export async function postMessages(page: Page, msgs: readonly object[]): Promise<void> {
  await page.evaluate((encoded) => {
    const decode = (x: any): any => {
      if (x && typeof x === 'object' && typeof x.__typed === 'string') return (window as any)[x.__typed].from(x.values);
      if (Array.isArray(x)) return x.map(decode);
      if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]));
      return x;
    };
    for (const m of encoded as unknown[]) window.postMessage(decode(m), '*');
  }, encode(msgs));
}

/** Posts a simulation as the host does and waits for its first frame. */
export async function postSimulation(page: Page, data: SimulationData): Promise<void> {
  await postMessages(page, [{ type: 'simulation', data }]);
  await page.waitForFunction((id) => document.body.dataset.runId === String(id), data.runId);
}

export async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted) as never;
}

const COLUMNS = ['t', 'kind', 'g', 'm', 'p', 'a', 'b', 'site'] as const;

/** Stores a simulation as blobs (typed columns + JSON for the rest) for postBlobSimulation. */
export function storeSimulation(h: Harness, name: string, data: SimulationData): void {
  const { log, ...rest } = data;
  const meta = { ...rest, log: { length: log.length, strings: log.strings, sites: log.sites } };
  h.blobs.set(`${name}.json`, Buffer.from(JSON.stringify(meta)));
  for (const c of COLUMNS) {
    const a = log[c];
    h.blobs.set(`${name}.${c}`, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
}

/**
 * Fetches a stored simulation in the page and posts it as the host would; resolves with the
 * milliseconds from the postMessage to the first frame drawn (the panel marks body[data-run-id]).
 */
export async function postBlobSimulation(page: Page, name: string): Promise<number> {
  return page.evaluate(async (n) => {
    const meta = await (await fetch(`/blob/${n}.json`)).json();
    const col = async (c: string) => (await fetch(`/blob/${n}.${c}`)).arrayBuffer();
    const log = {
      ...meta.log, t: new Float64Array(await col('t')), kind: new Uint8Array(await col('kind')), g: new Int32Array(await col('g')),
      m: new Int32Array(await col('m')), p: new Int32Array(await col('p')), a: new Int32Array(await col('a')), b: new Int32Array(await col('b')),
      site: new Int32Array(await col('site')),
    };
    const t0 = performance.now();
    window.postMessage({ type: 'simulation', data: { ...meta, log } }, '*');
    await new Promise<void>((resolve) => {
      const check = () => (document.body.dataset.runId === String(meta.runId) ? resolve() : setTimeout(check, 1));
      check();
    });
    return performance.now() - t0;
  }, name);
}
