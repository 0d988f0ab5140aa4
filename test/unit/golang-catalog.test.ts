// The one catalog of library calls the scheduler cares about (src/core/knowledge/catalog.ts).

import assert from 'node:assert/strict';
import {
  CATALOG,
  catalogEntry,
  CONSTRUCTOR_RESULTS,
  isCgoNonCall,
  lookupCall,
  simulatedNs,
  type CallKind,
} from '../../src/core/knowledge/catalog';
import { parseTypeText } from '../../src/core/golang/types';

const KINDS: readonly CallKind[] = ['syscall', 'netio', 'cgo', 'sleep', 'timer', 'clock', 'chan', 'sync', 'runtime', 'exec-wait', 'context'];

describe('call catalog', function () {
  it('every entry has a unique id, a known kind, a sentence and a duration', function () {
    const ids = new Set<string>();
    for (const e of CATALOG) {
      assert.ok(!ids.has(e.id), `duplicate ${e.id}`);
      ids.add(e.id);
      assert.ok(KINDS.includes(e.kind), `${e.id}: kind ${e.kind}`);
      assert.ok(e.what.length > 20 && /[.!)]$/.test(e.what), `${e.id}: what = ${e.what}`);
      assert.ok(e.defaultNs >= 0, `${e.id}: defaultNs`);
      assert.equal(catalogEntry(e.id), e);
      for (const r of e.results ?? []) assert.ok(parseTypeText(r) !== null || r.startsWith('map['), `${e.id}: result ${r}`);
    }
    for (const [id, results] of CONSTRUCTOR_RESULTS) for (const r of results) assert.ok(parseTypeText(r), `${id}: ${r}`);
  });

  it('covers the calls the scheduler cares about', function () {
    const required = [
      'os.Open', 'os.Create', 'os.ReadFile', 'os.WriteFile', 'os.File.Read', 'os.File.Write', 'os.File.Close', 'os.File.Sync',
      'os.Stat', 'os.Remove', 'os.MkdirAll', 'os.ReadDir', 'io.ReadAll', 'io.Copy', 'bufio.Scanner.Scan', 'bufio.Reader.ReadString',
      'syscall.Read', 'syscall.Write', 'syscall.Open', 'syscall.Syscall', 'syscall.Syscall6', 'syscall.RawSyscall',
      'os/exec.Cmd.Run', 'os/exec.Cmd.Wait', 'os/exec.Cmd.Output', 'os/exec.Cmd.CombinedOutput',
      'net.Dial', 'net.DialTimeout', 'net.Listen', 'net.Listener.Accept', 'net.Conn.Read', 'net.Conn.Write',
      'net/http.Get', 'net/http.Post', 'net/http.ListenAndServe', 'net/http.Client.Do', 'net/http.Server.Serve',
      'time.Sleep', 'time.After', 'time.Tick', 'time.NewTimer', 'time.NewTicker', 'time.AfterFunc', 'time.Since', 'time.Now',
      'sync.WaitGroup.Add', 'sync.WaitGroup.Done', 'sync.WaitGroup.Wait', 'sync.Mutex.Lock', 'sync.Mutex.Unlock', 'sync.Mutex.TryLock',
      'sync.RWMutex.Lock', 'sync.RWMutex.Unlock', 'sync.RWMutex.RLock', 'sync.RWMutex.RUnlock', 'sync.Once.Do',
      'sync.Cond.Wait', 'sync.Cond.Signal', 'sync.Cond.Broadcast', 'sync/atomic.AddInt64', 'sync/atomic.Int64.Load',
      'runtime.GOMAXPROCS', 'runtime.Gosched', 'runtime.LockOSThread', 'runtime.UnlockOSThread', 'runtime.NumGoroutine',
      'runtime.NumCPU', 'runtime.Goexit', 'context.WithCancel', 'context.WithTimeout', 'context.WithDeadline',
      'context.Background', 'context.Context.Done', 'context.Context.Err', 'C.*', 'builtin.close',
    ];
    const missing = required.filter((id) => !catalogEntry(id));
    assert.deepEqual(missing, []);
  });

  it('says what the runtime does, in the runtime\'s terms', function () {
    assert.match(catalogEntry('os.ReadFile')!.what, /read\(2\).*blocks its OS thread \(entersyscall\).*sysmon.*retake → handoffp/);
    assert.match(catalogEntry('net.Conn.Read')!.what, /parks the goroutine in the netpoller \(IO wait\); no thread is held/);
    assert.match(catalogEntry('C.*')!.what, /cgocall: entersyscall/);
    assert.match(catalogEntry('os/exec.Cmd.Run')!.what, /wait4/);
    assert.match(catalogEntry('runtime.Gosched')!.what, /global run queue/);
    for (const e of CATALOG) {
      if (e.kind === 'netio') assert.match(e.what, /netpoller/, e.id);
      if ((e.kind === 'syscall' || e.kind === 'exec-wait' || e.kind === 'cgo') && e.entersyscall !== false) {
        assert.match(e.what + (e.note ?? ''), /entersyscall|blocking system call|holds? (its|the) (OS )?thread/, e.id);
      }
    }
  });

  it('states the runtime\'s conditions and version differences, not the simplified folklore', function () {
    // retake (proc.go): a syscall P is retaken after a sysmon tick only with local work or no free P; else after 10 ms.
    const read = catalogEntry('os.File.Read')!.what;
    assert.match(read, /while Gs wait on its P or no other P is free, or in any case after 10 ms, sysmon retakes the P and hands it off/);
    // Wait reasons changed in 1.20 (sync.Mutex.Lock, sync.RWMutex.*) and 1.24 (sync.WaitGroup.Wait).
    assert.equal(catalogEntry('sync.Mutex.Lock')!.waitReasonLater, '"sync.Mutex.Lock" since Go 1.20');
    assert.equal(catalogEntry('sync.Once.Do')!.waitReasonLater, '"sync.Mutex.Lock" since Go 1.20');
    assert.equal(catalogEntry('sync.RWMutex.RLock')!.waitReasonLater, '"sync.RWMutex.RLock" since Go 1.20');
    assert.equal(catalogEntry('sync.WaitGroup.Wait')!.waitReasonLater, '"sync.WaitGroup.Wait" since Go 1.24');
    // An atomic load is a plain MOV on amd64: no LOCK prefix; and async preemption still stops a loop around it.
    assert.doesNotMatch(catalogEntry('sync/atomic.LoadInt64')!.what, /LOCK/);
    assert.match(catalogEntry('sync/atomic.LoadInt64')!.what, /sysmon still preempts such a loop asynchronously/);
    assert.doesNotMatch(catalogEntry('sync/atomic.Value.Store')!.what, /One atomic CPU instruction/);
    // runtime.GC (mgc.go GC): waits for mark termination, then finishes the sweep before returning.
    assert.match(catalogEntry('runtime.GC')!.what, /wait for GC cycle.*then sweeps the rest of the heap itself before returning/);
    // Go 1.23 timers: channel timers are in a heap only while someone waits on the channel.
    assert.match(catalogEntry('time.Tick')!.what, /since Go 1\.23 it is in a heap only while a goroutine waits on its channel/);
    assert.match(catalogEntry('time.NewTicker')!.what, /unbuffered since 1\.23/);
    assert.match(catalogEntry('syscall.RawSyscall')!.note!, /unless another P steals them/);
  });

  it('RawSyscall does not enter the scheduler; Syscall does', function () {
    assert.equal(lookupCall('syscall', 'RawSyscall')!.entersyscall, false);
    assert.match(lookupCall('syscall', 'RawSyscall')!.what, /NOT enter the scheduler/);
    assert.equal(lookupCall('syscall', 'Syscall')!.entersyscall, true);
  });

  it('lookupCall finds functions, methods, concrete types of catalogued interfaces, and any C function', function () {
    assert.equal(lookupCall('os', 'ReadFile')?.kind, 'syscall');
    assert.equal(lookupCall('os', 'Read', 'File')?.id, 'os.File.Read');
    assert.equal(lookupCall('net', 'Read', 'Conn')?.kind, 'netio');
    assert.equal(lookupCall('net', 'Read', 'TCPConn')?.id, 'net.Conn.Read');
    assert.equal(lookupCall('net', 'Accept', 'TCPListener')?.id, 'net.Listener.Accept');
    assert.equal(lookupCall('net', 'ReadFrom', 'UDPConn')?.id, 'net.PacketConn.ReadFrom');
    assert.equal(lookupCall('net/http', 'Do', 'Client')?.id, 'net/http.Client.Do');
    assert.equal(lookupCall('sync', 'Wait', 'WaitGroup')?.waitReason, 'semacquire');
    assert.equal(lookupCall('C', 'my_function')?.id, 'C.*');
    assert.equal(lookupCall('C', 'sleep')?.id, 'C.sleep');
    assert.equal(lookupCall('fmt', 'Println'), undefined);
    assert.equal(lookupCall('os', 'Read'), undefined, 'a method is not a package function');
    assert.equal(lookupCall('sync', 'Lock', 'Map'), undefined);
  });

  it('simulated durations come from a constant argument when the call has one', function () {
    assert.equal(simulatedNs(catalogEntry('time.Sleep')!, [5e6]), 5e6);
    assert.equal(simulatedNs(catalogEntry('time.Sleep')!, [-1]), 0);
    assert.equal(simulatedNs(catalogEntry('C.sleep')!, [2]), 2e9);
    assert.equal(simulatedNs(catalogEntry('C.usleep')!, [300]), 300e3);
    assert.equal(simulatedNs(catalogEntry('os.ReadFile')!, ['x' as never]), catalogEntry('os.ReadFile')!.defaultNs);
    assert.equal(simulatedNs(catalogEntry('net/http.ListenAndServe')!), Number.POSITIVE_INFINITY);
  });

  it('C.int(x) and friends are conversions, not calls into C', function () {
    for (const name of ['int', 'uint', 'char', 'double', 'size_t', 'uint32_t', 'struct_point', 'enum_color', 'GoString']) {
      assert.ok(isCgoNonCall(name), name);
    }
    for (const name of ['sleep', 'malloc', 'free', 'compute', 'CString']) assert.ok(!isCgoNonCall(name), name);
    assert.ok(isCgoNonCall('ticks', new Set(['ticks'])));
  });
});
