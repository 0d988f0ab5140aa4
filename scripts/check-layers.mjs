// Layer rule from docs/architecture: nothing under src/core/ may import 'vscode', Node-only
// modules, or the glue layers (src/extension/, webview/). The core must also run in a worker
// thread, in the CLI and in the webview. Exits 1 and lists every violation.
// Run: node scripts/check-layers.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const coreDir = join(root, 'src', 'core');
const forbiddenDirs = [join(root, 'src', 'extension'), join(root, 'webview')];
// Bare module names (and their subpaths, e.g. fs/promises) the core must not import.
const forbiddenModules = ['vscode', 'fs', 'path', 'worker_threads', 'child_process'];

function listSources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (/\.(c|m)?[jt]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Blank out comments (keeping line breaks) so commented-out imports are not reported. */
function stripComments(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT_PATTERNS = [
  // import x from 'm'; import { a } from 'm'; import * as n from 'm'; export { a } from 'm'
  /\b(?:import|export)\s+(?:type\s+)?[\w$*{}\s,]*?\bfrom\s*['"]([^'"\n]+)['"]/g,
  // import 'm';
  /\bimport\s*['"]([^'"\n]+)['"]/g,
  // require('m'), import('m'), import x = require('m')
  /\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

function importsOf(text) {
  const code = stripComments(text);
  const found = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of code.matchAll(pattern)) {
      const line = code.slice(0, m.index).split('\n').length;
      found.push({ spec: m[1], line });
    }
  }
  return found;
}

function violation(file, spec) {
  if (spec.startsWith('node:')) return 'Node built-in module';
  const bare = spec.split('/')[0];
  if (forbiddenModules.includes(bare)) return bare === 'vscode' ? 'VS Code API' : 'Node-only module';
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    for (const dir of forbiddenDirs) {
      if (target === dir || target.startsWith(dir + sep)) return `glue layer ${relative(root, dir)}/`;
    }
  }
  return null;
}

if (!existsSync(coreDir)) {
  console.log('check-layers: src/core/ does not exist yet; nothing to check');
  process.exit(0);
}

const files = listSources(coreDir);
const problems = [];
let importCount = 0;
for (const file of files) {
  for (const { spec, line } of importsOf(readFileSync(file, 'utf8'))) {
    importCount++;
    const why = violation(file, spec);
    if (why) problems.push(`${relative(root, file)}:${line}: imports '${spec}' (${why})`);
  }
}

console.log(
  `check-layers: checked ${files.length} file(s) under src/core/ (${importCount} import(s)) ` +
    `for 'vscode', node:*, ${forbiddenModules.filter((m) => m !== 'vscode').join('/')}, ` +
    `src/extension/ and webview/`,
);
if (problems.length > 0) {
  for (const p of problems) console.error(`  ${p}`);
  console.error(`check-layers: ${problems.length} layer violation(s)`);
  process.exit(1);
}
console.log('check-layers: ok');
