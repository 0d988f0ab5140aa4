// Loads the Go parser into the extension host on first need (never at activation): diagnostics
// and hovers parse in the host because incremental re-parsing needs the tree between edits.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initGoParser } from '../core/golang/parser';

let loading: Promise<void> | null = null;

export function ensureParser(extensionPath: string): Promise<void> {
  loading ??= (async () => {
    const [runtimeWasm, goWasm] = await Promise.all([
      readFile(join(extensionPath, 'dist', 'web-tree-sitter.wasm')),
      readFile(join(extensionPath, 'dist', 'tree-sitter-go.wasm')),
    ]);
    await initGoParser({ runtimeWasm, goWasm });
  })().catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}
