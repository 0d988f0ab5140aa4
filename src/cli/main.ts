// `gmp-tutor` entry point (bundled to dist/cli.js by esbuild.mjs): binds runCli to the process.
import { writeFileSync } from 'node:fs';
import { runCli } from './run';

// `gmp-tutor … | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  writeFile: (path, data) => writeFileSync(path, data),
});
