import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Where the CPU goes during a run, from /proc (Linux only): the API child, this process (the load
 * generator), every Postgres backend and Redis. Reported in cores (1.00 = one core busy all along).
 */
export type CpuGroups = Record<'api' | 'loadgen' | 'postgres' | 'redis' | 'other' | 'idle' | 'iowait' | 'steal' | 'irq', number>;

/** Machine-wide idle, iowait and steal ticks from the first line of /proc/stat. */
function machineTicks(): { idle: number; iowait: number; steal: number; irq: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: fields[3] ?? 0, iowait: fields[4] ?? 0, steal: fields[7] ?? 0, irq: (fields[5] ?? 0) + (fields[6] ?? 0) };
}

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux build

function readTicks(pid: string): { comm: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is state (field 3); utime and stime are fields 14 and 15.
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // the process ended meanwhile
  }
}

function snapshot(apiPids: ReadonlySet<number>): Map<string, { group: keyof CpuGroups; ticks: number }> {
  const result = new Map<string, { group: keyof CpuGroups; ticks: number }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const entry = readTicks(pid);
    if (!entry) continue;
    const group: keyof CpuGroups = apiPids.has(Number(pid))
      ? 'api'
      : Number(pid) === process.pid
        ? 'loadgen'
        : entry.comm.startsWith('postgres')
          ? 'postgres'
          : entry.comm.startsWith('redis')
            ? 'redis'
            : 'other';
    result.set(pid, { group, ticks: entry.ticks });
  }
  return result;
}

export function startCpuSample(apiPids: readonly number[]): () => CpuGroups | undefined {
  const pids = new Set(apiPids);
  if (!existsSync('/proc/self/stat')) return () => undefined;
  const before = snapshot(pids);
  const machineBefore = machineTicks();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const after = snapshot(pids);
    const machineAfter = machineTicks();
    const machine = (key: 'idle' | 'iowait' | 'steal' | 'irq') => (machineAfter[key] - machineBefore[key]) / TICKS_PER_SECOND / seconds;
    const groups: CpuGroups = {
      api: 0,
      loadgen: 0,
      postgres: 0,
      redis: 0,
      other: 0,
      idle: machine('idle'),
      iowait: machine('iowait'),
      steal: machine('steal'),
      irq: machine('irq'),
    };
    for (const [pid, now] of after) {
      const ticks = now.ticks - (before.get(pid)?.ticks ?? 0); // a process born during the run counts in full
      groups[now.group] += ticks / TICKS_PER_SECOND / seconds;
    }
    return groups;
  };
}

export function formatCpu(groups: CpuGroups | undefined): string {
  if (!groups) return 'cpu: n/a';
  return `cpu (cores): api ${groups.api.toFixed(2)}, postgres ${groups.postgres.toFixed(2)}, load generator ${groups.loadgen.toFixed(2)}, redis ${groups.redis.toFixed(2)}, other ${groups.other.toFixed(2)}; machine idle ${groups.idle.toFixed(2)}, irq+softirq ${groups.irq.toFixed(2)}, iowait ${groups.iowait.toFixed(2)}, steal ${groups.steal.toFixed(2)}`;
}

/** Runs during which processes outside the benchmark used noticeable CPU (another job on the box). */
export const disturbedRuns: string[] = [];
const DISTURBED_CORES = 0.25;

/** Warns (and remembers for the summary) when something else competed for the cores. */
export function checkQuiet(label: string, groups: CpuGroups | undefined): void {
  if (!groups || groups.other < DISTURBED_CORES) return;
  disturbedRuns.push(`${label} (${groups.other.toFixed(2)} cores)`);
  console.log(`  WARNING: other processes used ${groups.other.toFixed(2)} cores during "${label}"; its figures are disturbed`);
}
