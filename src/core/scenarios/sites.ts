// Source sites for scenarios, found by searching the scenario's Go text, so a line number can
// never drift from the source it points into.
import type { Site } from '../engine/actions';

export type SiteFinder = (text: string, fn: string, nth?: number) => Site;

/**
 * Returns a function that finds the `nth` (1-based) line of `source` containing `text` and makes a
 * site of it (1-based line, 0-based column, as Site documents). Throws if the text is not there:
 * a scenario with a dangling site is a bug caught when the module loads.
 */
export function siteFinder(file: string, source: string): SiteFinder {
  const lines = source.split('\n');
  return (text: string, fn: string, nth = 1): Site => {
    let seen = 0;
    for (let k = 0; k < lines.length; k++) {
      const col = lines[k]!.indexOf(text);
      if (col < 0) continue;
      if (++seen < nth) continue;
      return { file, line: k + 1, col, endLine: k + 1, endCol: col + text.length, text, fn };
    }
    throw new Error(`${file}: no line contains ${JSON.stringify(text)} (occurrence ${nth})`);
  };
}
