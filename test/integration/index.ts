// Loaded by VS Code's extension host as `extensionTestsPath` (see scripts/vscode/run-integration.ts):
// runs every bundled *.test.js beside this file with mocha, inside the real extension host.
// The last line it prints, `GMP_TEST_SUMMARY {...}`, is how the runner outside reads the counts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// mocha's CommonJS core, resolved from the project's node_modules at run time (not bundled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha = require('mocha/lib/mocha.cjs') as typeof import('mocha');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.GMP_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes, pending } = runner.stats ?? { passes: 0, pending: 0 };
      console.log(`GMP_TEST_SUMMARY ${JSON.stringify({ passed: passes, failed: failures, pending })}`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
