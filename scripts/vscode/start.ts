// `npm start`: the VS Code server with this folder loaded as the extension under development
// (an Extension Development Host, no .vsix install) and examples/ open; prints the URL to open in
// a browser and runs until Ctrl-C (which stops the server's whole process group).
// `npm start` builds dist/ and runs scripts/vscode/setup.sh before this.
//   PORT=8770 (default; another free port when it is taken)   GMP_FOLDER=<folder to open> (default examples/)
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { ROOT, freePort, startServer } from './vscode-server';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

async function main(): Promise<number> {
  const folder = resolve(process.env.GMP_FOLDER ?? join(ROOT, 'examples'));
  if (!existsSync(folder)) throw new Error(`${folder} does not exist`);
  if (!existsSync(join(ROOT, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const wanted = Number(process.env.PORT ?? 8770);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  const server = await startServer({ port });
  const url = server.url({ folder, extensionDevelopmentPath: ROOT });
  console.log(`
GMP Tutor is running in VS Code (Extension Development Host) with ${relative(ROOT, folder) || '.'}/ open.
Open this URL in a browser on this machine:

  ${url}

Open a .go file, or right-click one in the explorer or the editor → "GMP Tutor: Simulate Scheduler".
Ctrl-C stops the server.
`);
  const code = await server.exited;
  console.error(`the VS Code server stopped (exit code ${code}):\n${server.log().split('\n').slice(-20).join('\n')}`);
  return 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`npm start: ${(e as Error).message}`);
  process.exit(1);
});
