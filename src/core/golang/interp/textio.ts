// Reading text the way bufio does, for the interpreter's models of strings.Reader, bufio.Scanner
// and bufio.Reader: pure functions over the unread part of a source's text.

/** bufio.ScanLines, ScanWords, ScanRunes, ScanBytes. */
export type SplitMode = 'lines' | 'words' | 'runes' | 'bytes';

export const SPLIT_FUNCS: Readonly<Record<string, SplitMode>> = {
  ScanLines: 'lines', ScanWords: 'words', ScanRunes: 'runes', ScanBytes: 'bytes',
};

/** Go's unicode.IsSpace for the Latin-1 range and the common Unicode spaces. */
function isSpace(c: string): boolean {
  return /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(c);
}

/**
 * The next token of `text` from `off` as the split function finds it (at end of input: the final,
 * possibly unterminated token), and where scanning goes on; null when no token is left.
 */
export function nextToken(text: string, off: number, mode: SplitMode): { token: string; next: number } | null {
  if (off >= text.length) return null;
  switch (mode) {
    case 'lines': {
      const nl = text.indexOf('\n', off);
      const end = nl < 0 ? text.length : nl;
      // ScanLines drops a trailing \r (dropCR).
      const line = text.slice(off, end);
      return { token: line.endsWith('\r') ? line.slice(0, -1) : line, next: nl < 0 ? text.length : nl + 1 };
    }
    case 'words': {
      let i = off;
      while (i < text.length && isSpace(text[i]!)) i++;
      if (i >= text.length) return null;
      let j = i;
      while (j < text.length && !isSpace(text[j]!)) j++;
      return { token: text.slice(i, j), next: j };
    }
    case 'runes': {
      const cp = text.codePointAt(off)!;
      const len = cp > 0xffff ? 2 : 1;
      return { token: text.slice(off, off + len), next: off + len };
    }
    case 'bytes':
      return { token: text[off]!, next: off + 1 };
  }
}

/** bufio.Reader.ReadString(delim): up to and including delim, or the rest and EOF. */
export function readUntil(text: string, off: number, delim: string): { chunk: string; next: number; eof: boolean } {
  const at = text.indexOf(delim, off);
  if (at < 0) return { chunk: text.slice(off), next: text.length, eof: true };
  return { chunk: text.slice(off, at + 1), next: at + 1, eof: false };
}
