// The gmpTutor.* settings as typed values, parsed from whatever the configuration holds (users can
// write anything into settings.json). Pure: no vscode import, so unit tests check it directly;
// settings.ts feeds it from the workspace configuration.
import { NEWEST_GO_VERSION } from '../core/engine/config';
import { ADVICE_CODES, type AdviceCode, type AdviceSeverity } from '../core/knowledge/advice';
import { parseGoVersion } from '../cli/args';
import { LIMITS } from '../protocol';

export type SeveritySetting = AdviceSeverity | 'off';

export interface Settings {
  /** 'auto' resolved by `resolveProcs` with the machine's core count. */
  readonly gomaxprocs: number | 'auto';
  readonly seed: number;
  /** 'auto' = nearest go.mod, else newest; or a minor version 19 … 26. */
  readonly goVersion: number | 'auto';
  readonly asyncPreemption: boolean;
  readonly diagnostics: {
    readonly enabled: boolean;
    readonly simulate: boolean;
    readonly severity: Readonly<Record<AdviceCode, SeveritySetting | undefined>>;
  };
  readonly hoversEnabled: boolean;
  readonly codeLensEnabled: boolean;
  readonly budget: { readonly virtualTimeMs: number; readonly events: number; readonly goroutines: number };
  readonly rerunOnSave: boolean;
  /** Values that were present but unusable: `key: why` (the log channel reports them). */
  readonly problems: readonly string[];
}

export const DEFAULT_BUDGET = { virtualTimeMs: 60_000, events: 5_000_000, goroutines: 1_000_000 } as const;

/** Reads one key (without the `gmpTutor.` prefix); undefined when unset. */
export type SettingGetter = (key: string) => unknown;

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export function parseSettings(get: SettingGetter): Settings {
  const problems: string[] = [];
  const bool = (key: string, dflt: boolean): boolean => {
    const v = get(key);
    if (v === undefined) return dflt;
    if (typeof v === 'boolean') return v;
    problems.push(`${key}: expected true or false, got ${JSON.stringify(v)}`);
    return dflt;
  };
  const int = (key: string, dflt: number, lo: number, hi: number): number => {
    const v = get(key);
    if (v === undefined) return dflt;
    const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n) && n >= lo && n <= hi) return Math.floor(n);
    problems.push(`${key}: expected a number from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
    return dflt;
  };

  let gomaxprocs: number | 'auto' = 'auto';
  const procs = get('gomaxprocs');
  if (procs !== undefined && procs !== 'auto') gomaxprocs = int('gomaxprocs', 0, 1, LIMITS.maxProcs) || 'auto';

  let goVersion: number | 'auto' = 'auto';
  const gv = get('goVersion');
  if (gv !== undefined && gv !== 'auto') {
    const v = typeof gv === 'string' ? parseGoVersion(gv) : null;
    if (v === null) problems.push(`goVersion: expected "auto" or a version from 1.19 to 1.${NEWEST_GO_VERSION}, got ${JSON.stringify(gv)}`);
    else goVersion = v;
  }

  const severity = {} as Record<AdviceCode, SeveritySetting | undefined>;
  const sev = get('diagnostics.severity');
  if (sev !== undefined && (typeof sev !== 'object' || sev === null || Array.isArray(sev))) {
    problems.push('diagnostics.severity: expected an object of code → severity');
  } else if (sev) {
    for (const [code, value] of Object.entries(sev)) {
      if (!(ADVICE_CODES as readonly string[]).includes(code)) {
        problems.push(`diagnostics.severity: unknown code "${code}" (known: ${ADVICE_CODES.join(', ')})`);
      } else if (typeof value !== 'string' || !SEVERITIES.includes(value as SeveritySetting)) {
        problems.push(`diagnostics.severity.${code}: expected one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(value)}`);
      } else {
        severity[code as AdviceCode] = value as SeveritySetting;
      }
    }
  }

  return {
    gomaxprocs,
    seed: int('seed', 1, 0, LIMITS.maxSeed),
    goVersion,
    asyncPreemption: bool('asyncPreemption', true),
    diagnostics: { enabled: bool('diagnostics.enabled', true), simulate: bool('diagnostics.simulate', true), severity },
    hoversEnabled: bool('hovers.enabled', true),
    codeLensEnabled: bool('codeLens.enabled', true),
    budget: {
      virtualTimeMs: int('budget.virtualTimeMs', DEFAULT_BUDGET.virtualTimeMs, 1, 1e9),
      events: int('budget.events', DEFAULT_BUDGET.events, 1_000, 100_000_000),
      goroutines: int('budget.goroutines', DEFAULT_BUDGET.goroutines, 1, 10_000_000),
    },
    rerunOnSave: bool('rerunOnSave', true),
    problems,
  };
}

/** GOMAXPROCS for a run: the setting, or (auto) the machine's cores as the Go runtime picks it, within the panel's limit. */
export function resolveProcs(s: Pick<Settings, 'gomaxprocs'>, cpuCount: number): number {
  const n = s.gomaxprocs === 'auto' ? cpuCount : s.gomaxprocs;
  return Math.min(LIMITS.maxProcs, Math.max(1, Math.floor(n) || 1));
}

/** The Go minor version of a go.mod's `go` directive (`go 1.22.3` → 22), if it is one the simulator supports. */
export function goModVersion(goModText: string): number | undefined {
  const m = /^go\s+(\S+)/m.exec(goModText);
  return m ? parseGoVersion(m[1]!) ?? undefined : undefined;
}

/** The version a run uses: the setting, else go.mod's, else the newest. */
export function resolveGoVersion(s: Pick<Settings, 'goVersion'>, fromGoMod: number | undefined): number {
  return s.goVersion !== 'auto' ? s.goVersion : fromGoMod ?? NEWEST_GO_VERSION;
}
