// Hover texts through the real hover provider pipeline (vscode.executeHoverProvider).
import * as assert from 'node:assert/strict';
import { closeAllEditors, find, hoverText, open, setSetting } from './helpers';

describe('hovers', () => {
  after(async () => {
    await setSetting('hovers.enabled', undefined);
    await closeAllEditors();
  });

  it('on a go statement: a new G goes to runnext', async () => {
    const { document: doc } = await open('blocking.go');
    const text = await hoverText(doc.uri, find(doc, 'go func(n int)'));
    assert.match(text, /`go`: a new G is created and queued in this P's runnext/);
    assert.match(text, /newproc/);
    assert.match(text, /in a loop/);
  });

  it('on a blocking call: the M blocks in the kernel and the P is handed off', async () => {
    const { document: doc } = await open('blocking.go');
    const text = await hoverText(doc.uri, find(doc, 'ReadFile'));
    assert.match(text, /os\.ReadFile/);
    assert.match(text, /blocking system call — the M blocks in the kernel; if the call lasts, sysmon retakes the P and hands it off/);
  });

  it('on a cgo call: the M runs C code', async () => {
    const { document: doc } = await open('cgo.go');
    const text = await hoverText(doc.uri, find(doc, 'C.work'));
    assert.match(text, /cgo call — the M runs C code, the P is handed off if it takes long/);
  });

  it('nothing on a plain identifier, and nothing at all when hovers.enabled is false', async () => {
    const { document: doc } = await open('blocking.go');
    assert.doesNotMatch(await hoverText(doc.uri, find(doc, 'var wg')), /runnext|handed off|\bM\b/);
    await setSetting('hovers.enabled', false);
    const off = await hoverText(doc.uri, find(doc, 'ReadFile'));
    assert.doesNotMatch(off, /blocking system call/);
  });
});
