// The panel's HTML (owned by the panel webview; this minimal body keeps the host working until the
// panel lands). Pure: no vscode import. The host turns PANEL_ASSETS into webview URIs.

/** Script and styles, relative to the extension root (inside localResourceRoots dist/ and media/). */
export const PANEL_ASSETS = { script: 'dist/webview.js', styles: ['media/panel.css'] } as const;

export interface PanelHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random nonce for the script tag. */
  nonce: string;
  scriptUri: string;
  styleUris: readonly string[];
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function panelHtml({ cspSource, nonce, scriptUri, styleUris }: PanelHtmlInput): string {
  const csp = [`default-src 'none'`, `img-src ${cspSource} data:`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`).join('\n')}
<title>GMP Tutor</title>
</head>
<body>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>`;
}
