// The panel's HTML, as a pure string builder (no vscode import): the host and the webview tests
// both call it. A strict Content-Security-Policy: nothing loads unless it comes from the
// extension's own resources (cspSource), the one script runs only with this load's nonce, and
// there is no inline script or style attribute anywhere (the panel sets styles through the CSSOM).

/** Script and styles, relative to the extension root (inside localResourceRoots dist/ and media/). */
export const PANEL_ASSETS = { script: 'dist/webview.js', styles: ['dist/codicon.css', 'media/panel.css'] } as const;

export interface PanelHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random nonce for the script tag. */
  nonce: string;
  scriptUri: string;
  styleUris: readonly string[];
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The policy alone (tests check it). Nonces are base64: anything else would break the header. */
export function panelCsp(cspSource: string, nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{8,}$/.test(nonce)) throw new Error('panelHtml: the nonce must be at least 8 base64 characters');
  // VS Code passes a source list such as `'self' https://*.vscode-cdn.net`: each token must be a
  // keyword or a host source; a ';' or ',' would smuggle in another directive.
  const sources = cspSource.trim().split(/\s+/);
  if (cspSource.trim() === '' || !sources.every((s) => /^(?:'self'|[^;,'"]+)$/.test(s))) throw new Error(`panelHtml: unusable cspSource ${JSON.stringify(cspSource)}`);
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    // The nonce lets the UI toolkit's one feature probe (a <style> it inserts and removes to test
    // :focus-visible) run; it finds the nonce in the csp-nonce meta tag. No 'unsafe-inline'.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `connect-src 'none'`,
    `frame-src 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

export function panelHtml({ cspSource, nonce, scriptUri, styleUris }: PanelHtmlInput): string {
  const csp = panelCsp(cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta property="csp-nonce" content="${escapeAttr(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`).join('\n')}
<title>GMP Tutor</title>
</head>
<body>
<noscript>The GMP Tutor panel needs scripts enabled.</noscript>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>`;
}
