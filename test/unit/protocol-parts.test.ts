// A large log crosses to the panel in parts (simulationParts on the host, LogAssembler in the
// webview): the assembled run must equal the original, event for event.
import assert from 'node:assert/strict';
import { LogAssembler, simulationParts, type LogChunkMessage, type SimulationData, type WireLog } from '../../src/protocol';

function run(events: number, runId = 1): SimulationData {
  const log: WireLog = {
    length: events,
    t: Float64Array.from({ length: events }, (_, i) => i * 1.5),
    kind: Uint8Array.from({ length: events }, (_, i) => i % 40),
    g: Int32Array.from({ length: events }, (_, i) => i % 7),
    m: Int32Array.from({ length: events }, (_, i) => -(i % 3)),
    p: Int32Array.from({ length: events }, (_, i) => i % 4),
    a: Int32Array.from({ length: events }, (_, i) => i * 3),
    b: Int32Array.from({ length: events }, (_, i) => i ^ 5),
    site: Int32Array.from({ length: events }, (_, i) => (i % 9) - 1),
    strings: ['main.main'],
    sites: [{ line: 3 }],
  };
  return {
    runId, fileUri: 'file:///m.go', fileName: 'm.go', sourceLines: ['package main'], log, notes: [], truncated: false, wallMs: 1, goroutines: [],
    config: { gomaxprocs: 2, seed: 1, goVersion: 22, asyncPreemption: true },
    exit: { reason: 'main-returned', code: 0, message: '', g: 1, timeNs: 9 },
  };
}

describe('a large log in parts', () => {
  it('a small log is one simulation message, unchanged', () => {
    const data = run(10);
    const parts = [...simulationParts(data, 10)];
    assert.equal(parts.length, 1);
    assert.equal(parts[0]!.type, 'simulation');
    assert.equal((parts[0] as { data: SimulationData }).data, data);
    assert.equal(new LogAssembler().start(data), data);
  });

  it('split into parts of at most N events and assembled again: the same run, event for event', () => {
    const data = run(1_003);
    const parts = [...simulationParts(data, 100)];
    assert.equal(parts.length, 11);
    const [first, ...chunks] = parts as [{ type: 'simulation'; data: SimulationData }, ...LogChunkMessage[]];
    assert.equal(first.data.log.length, 100);
    assert.equal(first.data.pendingEvents, 903);
    assert.deepEqual(chunks.map((c) => [c.offset, c.length, c.last]).slice(-2), [[900, 100, false], [1_000, 3, true]]);
    // Parts are copies: posting one does not drag the whole buffer along.
    for (const c of chunks) assert.equal(c.t.buffer.byteLength, c.length * 8);
    const asm = new LogAssembler();
    assert.equal(asm.start(first.data), null);
    const results = chunks.map((c) => asm.add(c));
    assert.ok(results.slice(0, -1).every((r) => r === null));
    const whole = results.at(-1)!;
    assert.ok(whole);
    assert.equal(whole.pendingEvents, undefined);
    assert.equal(whole.log.length, 1_003);
    for (const k of ['t', 'kind', 'g', 'm', 'p', 'a', 'b', 'site'] as const) assert.deepEqual(whole.log[k], data.log[k], k);
    assert.deepEqual(whole.log.strings, data.log.strings);
    assert.equal(whole.exit, data.exit);
  });

  it('parts of another run, out of order or missing never produce a run', () => {
    const data = run(300, 4);
    const [first, c1, c2] = [...simulationParts(data, 100)] as [{ data: SimulationData }, LogChunkMessage, LogChunkMessage];
    const asm = new LogAssembler();
    asm.start(first.data);
    assert.equal(asm.add({ ...c1, runId: 5 }), null);
    assert.equal(asm.add(c2), null, 'the last part before the middle one');
    assert.equal(asm.add(c1), null);
    assert.ok(asm.add(c2), 'in order, it completes');
    assert.equal(asm.add(c2), null, 'nothing after the run is complete');
  });
});
