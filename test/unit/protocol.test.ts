// The webview is untrusted input: every message the host acts on goes through parseFromWebview,
// and the log the host posts has the shape the panel reads.
import { strict as assert } from 'node:assert';
import { LIMITS, PROTOCOL_VERSION, dispatch, parseFromWebview, parsePanelState, type FromWebview, type WireLog } from '../../src/protocol';
import type { SerializedLog } from '../../src/core/trace/events';
import { findScenario, runScenario } from '../../src/core/scenarios';

// Compile-time: the wire log and the engine's serialized log are the same shape, both ways.
const toWire = (s: SerializedLog): WireLog => s;
const fromWire = (w: WireLog): SerializedLog => w;

describe('protocol: messages from the webview are validated', () => {
  it('accepts each well-formed message and returns only the known fields', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready', version: PROTOCOL_VERSION, extra: 'x' }), { type: 'ready', version: PROTOCOL_VERSION });
    // The chunked-log capability is kept only when it is exactly true.
    assert.deepEqual(parseFromWebview({ type: 'ready', version: 1, chunkedLog: true }), { type: 'ready', version: 1, chunkedLog: true });
    assert.deepEqual(parseFromWebview({ type: 'ready', version: 1, chunkedLog: 'yes' }), { type: 'ready', version: 1 });
    assert.deepEqual(parseFromWebview({ type: 'revealLine', fileUri: 'file:///a/main.go', line: 12 }), { type: 'revealLine', fileUri: 'file:///a/main.go', line: 12 });
    assert.deepEqual(parseFromWebview({ type: 'rerun', gomaxprocs: 4 }), { type: 'rerun', gomaxprocs: 4 });
    assert.deepEqual(parseFromWebview({ type: 'rerun', seed: 7, gomaxprocs: 1 }), { type: 'rerun', seed: 7, gomaxprocs: 1 });
    assert.deepEqual(parseFromWebview({ type: 'exportTrace' }), { type: 'exportTrace' });
    assert.deepEqual(parseFromWebview({ type: 'webviewError', message: 'boom' }), { type: 'webviewError', message: 'boom' });
  });

  it('rejects unknown tags, wrong types, out-of-range numbers and oversized strings', () => {
    const bad: unknown[] = [
      null, 42, 'ready', [], {}, { type: 'eval', code: '1' },
      { type: 'ready' }, { type: 'ready', version: '1' },
      { type: 'revealLine', fileUri: 'file:///a.go', line: 0 },
      { type: 'revealLine', fileUri: 'file:///a.go', line: 1.5 },
      { type: 'revealLine', fileUri: 42, line: 3 },
      { type: 'revealLine', fileUri: 'x'.repeat(LIMITS.maxUri + 1), line: 3 },
      { type: 'rerun', gomaxprocs: 0 }, { type: 'rerun', gomaxprocs: LIMITS.maxProcs + 1 },
      { type: 'rerun', gomaxprocs: NaN }, { type: 'rerun', seed: -1 }, { type: 'rerun', seed: '3' },
      { type: 'webviewError', message: 'x'.repeat(LIMITS.maxText + 1) },
    ];
    for (const m of bad) assert.equal(parseFromWebview(m), null, JSON.stringify(m));
  });

  it('restores only a well-formed panel state, with safe defaults for damaged fields', () => {
    assert.equal(parsePanelState(undefined), null);
    assert.equal(parsePanelState({ version: 1, fileUri: '' }), null);
    assert.deepEqual(parsePanelState({ version: 1, fileUri: 'file:///m.go', eventIndex: -3, speed: Infinity, selectedG: 'g1', config: { gomaxprocs: 9999, seed: 5 } }),
      { version: 1, fileUri: 'file:///m.go', eventIndex: 0, speed: 1, selectedG: null, config: { seed: 5 } });
  });

  it('dispatch calls the handler of the message tag', () => {
    const seen: string[] = [];
    const h = {
      ready: () => seen.push('ready'),
      revealLine: (m: { line: number }) => seen.push(`line ${m.line}`),
      rerun: () => seen.push('rerun'),
      exportTrace: () => seen.push('export'),
      webviewError: () => seen.push('error'),
    };
    for (const m of [{ type: 'revealLine', fileUri: 'f', line: 3 }, { type: 'ready', version: 1 }]) dispatch<FromWebview>(h, parseFromWebview(m)!);
    assert.deepEqual(seen, ['line 3', 'ready']);
  });

  it('a real event log survives structured cloning as a WireLog (what postMessage does)', () => {
    const result = runScenario(findScenario('work-stealing')!, { gomaxprocs: 2 });
    const wire = toWire(result.log.toJSON());
    const copy = fromWire(structuredClone(wire));
    assert.equal(copy.length, result.log.length);
    assert.ok(copy.kind instanceof Uint8Array && copy.t instanceof Float64Array);
    assert.deepEqual(Array.from(copy.kind.subarray(0, 50)), Array.from(wire.kind.subarray(0, 50)));
  });
});
