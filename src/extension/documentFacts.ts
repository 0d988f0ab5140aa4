// One open Go file's facts and fact-based advice, kept up to date by incremental re-parsing. No
// vscode import: the diagnostics controller drives it from editor events, the benchmark from a
// synthetic edit. The parser must be loaded (initGoParser) before the first use.
import { extractFacts, FactsCache, type Facts } from '../core/golang/facts';
import { GoDocument, type TextEdit } from '../core/golang/parser';
import { factAdvice, type Advice } from '../core/knowledge/advice';

export class DocumentFacts {
  private doc: GoDocument | null = null;
  private readonly cache = new FactsCache();
  /** Edits since the last refresh, in order (each relative to the text the previous one produced). */
  private pending: TextEdit[] = [];
  private stale = true;
  private result: { facts: Facts; advice: Advice[] } | null = null;

  /** Records one change event's edits; the work happens in `refresh`. */
  edit(edits: readonly TextEdit[]): void {
    this.pending.push(...edits);
    this.stale = true;
  }

  /** The whole text changed in an unknown way (e.g. reopened): the next refresh parses from scratch. */
  invalidate(): void {
    this.pending = [];
    this.doc?.dispose();
    this.doc = null;
    this.stale = true;
  }

  get isStale(): boolean {
    return this.stale;
  }

  /** Facts and advice for `text`, re-parsing only what the recorded edits touched. */
  refresh(text: string): { facts: Facts; advice: Advice[] } {
    if (!this.stale && this.result && this.doc?.text === text) return this.result;
    if (!this.doc) this.doc = new GoDocument(text);
    else if (this.doc.text !== text) this.doc.update(text, this.pending);
    this.pending = [];
    const facts = extractFacts(this.doc.tree, { text, cache: this.cache });
    this.result = { facts, advice: factAdvice(facts, text) };
    this.stale = false;
    return this.result;
  }

  dispose(): void {
    this.doc?.dispose();
    this.doc = null;
  }
}
