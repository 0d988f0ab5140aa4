// The panel's HTML: a strict CSP (nothing but the extension's own files, the one script only with
// this load's nonce, no inline script or eval), and the assets the host must turn into URIs.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { PANEL_ASSETS, panelCsp, panelHtml } from '../../src/extension/panelHtml';

const input = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'cmFuZG9tbm9uY2UxMjM0NQ==', scriptUri: 'https://x/dist/webview.js', styleUris: ['https://x/dist/codicon.css', 'https://x/media/panel.css'] };

describe('panel HTML', () => {
  it('has a strict Content-Security-Policy with a nonce for the one script', () => {
    const html = panelHtml(input);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]!.replace(/&#39;|&apos;/g, "'");
    const directives = new Map(csp.split(/;\s*/).map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${input.nonce}'`]);
    assert.deepEqual(directives.get('style-src'), [input.cspSource, `'nonce-${input.nonce}'`]);
    assert.deepEqual(directives.get('font-src'), [input.cspSource]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    // Exactly one script element, external, carrying the nonce; no inline handlers.
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${input.nonce}" src="${input.scriptUri}">`]);
    assert.doesNotMatch(html, /<script[^>]*>[^<]+<\/script>/, 'no inline script');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /\sstyle=/i, 'no style attributes');
    for (const u of input.styleUris) assert.ok(html.includes(`<link rel="stylesheet" href="${u}">`));
  });

  it('refuses nonces and sources that would break out of the policy', () => {
    assert.throws(() => panelCsp(input.cspSource, "abc'; script-src *"));
    assert.throws(() => panelCsp(input.cspSource, 'short'));
    assert.throws(() => panelCsp("https://x; script-src 'unsafe-inline'", input.nonce));
    assert.throws(() => panelCsp("https://x 'unsafe-inline'", input.nonce));
    // What VS Code really passes (webview.cspSource since 1.8x): a keyword and a host source.
    assert.match(panelCsp("'self' https://*.vscode-cdn.net", input.nonce), /font-src 'self' https:\/\/\*\.vscode-cdn\.net/);
  });

  it('escapes the URIs it is given', () => {
    const html = panelHtml({ ...input, scriptUri: 'https://x/a"b<c>.js' });
    assert.ok(html.includes('src="https://x/a&quot;b&lt;c&gt;.js"'));
  });

  it('lists the assets the build produces, inside dist/ and media/ (the localResourceRoots)', () => {
    const root = path.resolve(__dirname, '../..');
    for (const rel of [PANEL_ASSETS.script, ...PANEL_ASSETS.styles]) {
      assert.match(rel, /^(dist|media)\//);
      if (rel.startsWith('media/')) assert.ok(existsSync(path.join(root, rel)), rel);
    }
    assert.equal(PANEL_ASSETS.script, 'dist/webview.js');
  });
});
