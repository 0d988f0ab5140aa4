// What a built-in scenario is: a small Go program (its source text, shipped so that every site's
// line number means something) and the same program written against the engine's action contract.
import type { BodyFactory, Site } from '../engine/actions';
import type { SimConfig } from '../engine/config';

export interface Scenario {
  /** Command-line name, e.g. `syscall-handoff`. */
  readonly name: string;
  /** One-line title shown above the timeline. */
  readonly title: string;
  /** What the scenario teaches, in a few sentences (runtime-facts.md is the reference). */
  readonly description: string;
  /** The Go program the scenario stands for; every action's site points at a line of it. */
  readonly source: string;
  /** File name used in the sites (`<name>.go`). */
  readonly file: string;
  /** GOMAXPROCS the lesson is written for (the CLI's --procs overrides it). */
  readonly defaultProcs: number;
  /** Other settings the lesson needs (budgets, …); the caller's settings override them. */
  readonly config?: Partial<SimConfig>;
  /** Site of `func main()`. */
  readonly mainSite: Site;
  /** main.main as a goroutine body. */
  readonly main: BodyFactory;
}
