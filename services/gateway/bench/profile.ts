import { readdirSync, readFileSync } from 'node:fs';
import { profilesDir } from './children.ts';

/** A stretch of the run on the system-wide monotonic clock (µs), which V8 profiles also use. */
export interface Window {
  name: string;
  startUs: number;
  endUs: number;
}

export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1_000n);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const SPECIAL = new Set(['(idle)', '(garbage collector)', '(program)', '(root)']);
const isOwn = (url: string) => /\/(packages|services)\//.test(url) && !url.includes('node_modules');

/** Where a function lives: a package name, a node internal, or a repo-relative path. */
function origin(url: string): string {
  if (url === '') return '(native/V8)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/((?:packages|services)\/[^/]+\/)/.exec(url);
  return own ? own[1]! : url.replace(/^file:\/\//, '');
}

function shortUrl(url: string): string {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(.+)$/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/((?:packages|services)\/.+)$/.exec(url);
  return own ? own[1]! : url.replace(/^file:\/\//, '');
}

export interface Stall {
  /** Seconds since the window started. */
  atS: number;
  ms: number;
  /** The own-code function (services/, packages/) on the stack most of the stretch, outermost first. */
  cause: string;
}

export interface ProfileSummary {
  file: string;
  window: string;
  sampledMs: number;
  /** Share of the window's samples by origin (package, node internals, GC, idle, ours). */
  byOrigin: [string, number][];
  /** Heaviest functions by self time: [name, share]. */
  topFunctions: [string, number][];
  /** Our own functions (services/, packages/) by inclusive time: [name, share]. */
  ownInclusive: [string, number][];
  /** Longest stretches without an idle sample: the event loop was blocked for that long. */
  stalls: Stall[];
  stallsOver20ms: number;
}

function label(frame: ProfileNode['callFrame']): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const name = frame.functionName || '(anonymous)';
  return isOwn(frame.url) ? `${name} ${shortUrl(frame.url)}` : `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

export function summarise(file: string, window: Window): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  /** Own-code frames on a node's stack, outermost first (memoised per node). */
  const ownStack = new Map<number, string[]>();
  const ownOf = (id: number): string[] => {
    let stack = ownStack.get(id);
    if (stack) return stack;
    const up = parent.get(id);
    const frame = nodes.get(id)!.callFrame;
    stack = up === undefined ? [] : ownOf(up);
    if (isOwn(frame.url)) stack = [...stack, label(frame)];
    ownStack.set(id, stack);
    return stack;
  };
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const stalls: Stall[] = [];
  let stretch: { startUs: number; us: number; causes: Map<string, number> } | undefined;
  const endStretch = () => {
    if (stretch && stretch.us >= 20_000) {
      const cause = [...stretch.causes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '(no own code: GC, I/O or library)';
      stalls.push({ atS: (stretch.startUs - window.startUs) / 1e6, ms: stretch.us / 1_000, cause });
    }
    stretch = undefined;
  };
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < window.startUs || t > window.endUs) continue;
    const self = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    const frame = nodes.get(id)!.callFrame;
    const where = SPECIAL.has(frame.functionName) ? frame.functionName : origin(frame.url);
    byOrigin.set(where, (byOrigin.get(where) ?? 0) + self);
    byFunction.set(label(frame), (byFunction.get(label(frame)) ?? 0) + self);
    const own = ownOf(id);
    for (const name of new Set(own)) inclusive.set(name, (inclusive.get(name) ?? 0) + self);
    total += self;
    if (frame.functionName === '(idle)') endStretch();
    else {
      stretch ??= { startUs: t, us: 0, causes: new Map() };
      stretch.us += self;
      // The outermost own function names the stretch (e.g. the heartbeat sweep, a broadcast).
      const cause = own[0] ?? (frame.functionName === '(garbage collector)' ? '(garbage collector)' : undefined);
      if (cause) stretch.causes.set(cause, (stretch.causes.get(cause) ?? 0) + self);
    }
  }
  endStretch();
  const share = (entries: Map<string, number>, n: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, v / Math.max(1, total)] as [string, number]);
  return {
    file,
    window: window.name,
    sampledMs: total / 1_000,
    byOrigin: share(byOrigin, 12),
    topFunctions: share(byFunction, 20),
    ownInclusive: share(inclusive, 15),
    stalls: stalls.sort((a, b) => b.ms - a.ms).slice(0, 8),
    stallsOver20ms: stalls.length,
  };
}

/** The main-thread profile of each named process (`profiles/<name>-<time>/CPU.*.<pid>.0.*.cpuprofile`) started after `since`. */
export function latestProfiles(names: string[], since: number): Map<string, string> {
  const found = new Map<string, string>();
  let dirs: string[];
  try {
    dirs = readdirSync(profilesDir);
  } catch {
    return found;
  }
  for (const name of names) {
    const newest = dirs
      .map((d) => ({ d, m: new RegExp(`^${name}-(\\d+)$`).exec(d) }))
      .filter((x) => x.m && Number(x.m[1]) >= since)
      .sort((a, b) => Number(b.m![1]) - Number(a.m![1]))[0];
    if (!newest) continue;
    const dir = `${profilesDir}/${newest.d}`;
    const main = readdirSync(dir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
    if (main) found.set(name, `${dir}/${main}`);
  }
  return found;
}

export function describeProfile(summary: ProfileSummary, name: string): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const idle = summary.byOrigin.find(([k]) => k === '(idle)')?.[1] ?? 0;
  return [
    `  ${name}, ${summary.window}: ${summary.sampledMs.toFixed(0)} ms sampled, busy ${pct(1 - idle)} (${summary.file.split('/').slice(-2).join('/')})`,
    `    by origin: ${summary.byOrigin.map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`,
    '    top self time:',
    ...summary.topFunctions.slice(0, 15).map(([k, v]) => `      ${pct(v).padStart(6)}  ${k}`),
    '    own code, inclusive time:',
    ...summary.ownInclusive.map(([k, v]) => `      ${pct(v).padStart(6)}  ${k}`),
    `    event-loop stalls ≥ 20 ms: ${summary.stallsOver20ms}${summary.stalls.length ? '; longest:' : ''}`,
    ...summary.stalls.map((s) => `      ${s.ms.toFixed(0).padStart(5)} ms at +${s.atS.toFixed(1)} s  ${s.cause}`),
  ].join('\n');
}
