// Shared helpers for engine tests: run a program, pick events out of the log.
import * as A from '../../src/core/engine/actions';
import { simulate, type SimResult } from '../../src/core/engine/scheduler';
import type { SimConfig } from '../../src/core/engine/config';
import { Ev, type EvKind, type TraceEvent } from '../../src/core/trace/events';

export { A, Ev };

export function run(main: () => A.Body, config: Partial<SimConfig> = {}): SimResult {
  return simulate(main, { seed: 1, ...config });
}

export function events(r: SimResult, kind: EvKind, where: (e: TraceEvent) => boolean = () => true): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = 0; i < r.log.length; i++) {
    if (r.log.kind(i) !== kind) continue;
    const e = r.log.get(i);
    if (where(e)) out.push(e);
  }
  return out;
}

export const site = (line: number, text?: string): A.Site => ({ file: 'main.go', line, fn: 'main.main', text });

/** A body-factory helper: `go` with a generator function. */
export function* spawn(f: () => A.Body, line = 0): A.Body {
  yield A.go(f, line ? site(line) : undefined);
}

export function logSignature(r: SimResult): string {
  const parts: string[] = [];
  for (let i = 0; i < r.log.length; i++) {
    const e = r.log.get(i);
    parts.push(`${e.t}:${e.kind}:${e.g}:${e.m}:${e.p}:${e.a}:${e.b}:${e.site}`);
  }
  return parts.join('|');
}
