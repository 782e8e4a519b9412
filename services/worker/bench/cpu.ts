import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Where the CPU went during a window, from /proc (Linux only), in cores (1.00 = one core busy all
 * along): the worker child, this process (SMTP sink and load driver), Postgres, Redis, the rest.
 */
export interface CpuShares {
  worker: number;
  bench: number;
  postgres: number;
  redis: number;
  other: number;
  /** Machine-wide time in interrupts and softirqs (the loopback TCP stack, mostly) and stolen by the hypervisor: no process is charged for it. */
  kernel: number;
  idle: number;
  /** Worker CPU seconds over the window (user + system). */
  workerSeconds: number;
  /** The busiest other processes, `name (pid) cores`, to tell what disturbed a run. */
  busiestOthers: string[];
}

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux build

function processTicks(pid: string): { comm: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 11 and 12 after the command name.
    return { comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // ended meanwhile
  }
}

/** Machine-wide idle (+ iowait) and irq + softirq + steal ticks, from the first line of /proc/stat. */
function machineTicks(): { idle: number; kernel: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const at = (index: number) => fields[index] ?? 0;
  return { idle: at(3) + at(4), kernel: at(5) + at(6) + at(7) };
}

/** User + system CPU seconds a process has used so far, or undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  const entry = processTicks(String(pid));
  return entry && entry.ticks / TICKS_PER_SECOND;
}

type Group = Exclude<keyof CpuShares, 'idle' | 'kernel' | 'workerSeconds' | 'busiestOthers'>;

function snapshot(workerPid: number): Map<string, { group: Group; comm: string; ticks: number }> {
  const result = new Map<string, { group: Group; comm: string; ticks: number }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const entry = processTicks(pid);
    if (!entry) continue;
    const group: Group =
      Number(pid) === workerPid
        ? 'worker'
        : Number(pid) === process.pid
          ? 'bench'
          : entry.comm.startsWith('postgres')
            ? 'postgres'
            : entry.comm.startsWith('redis')
              ? 'redis'
              : 'other';
    result.set(pid, { group, comm: entry.comm, ticks: entry.ticks });
  }
  return result;
}

/** Starts a window; the returned function ends it. Undefined off Linux. */
export function startCpuWindow(workerPid: number): () => CpuShares | undefined {
  if (!existsSync('/proc/self/stat')) return () => undefined;
  const before = snapshot(workerPid);
  const machineBefore = machineTicks();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const machine = machineTicks();
    const share = (key: 'idle' | 'kernel') => (machine[key] - machineBefore[key]) / TICKS_PER_SECOND / seconds;
    const shares: CpuShares = {
      worker: 0,
      bench: 0,
      postgres: 0,
      redis: 0,
      other: 0,
      kernel: share('kernel'),
      idle: share('idle'),
      workerSeconds: 0,
      busiestOthers: [],
    };
    const others: [string, number][] = [];
    for (const [pid, now] of snapshot(workerPid)) {
      const ticks = now.ticks - (before.get(pid)?.ticks ?? 0); // a process born during the window counts in full
      const cores = ticks / TICKS_PER_SECOND / seconds;
      shares[now.group] += cores;
      if (now.group === 'worker') shares.workerSeconds = ticks / TICKS_PER_SECOND;
      if (now.group === 'other' && cores >= 0.02) others.push([`${now.comm} (${pid}) ${cores.toFixed(2)}`, cores]);
    }
    shares.busiestOthers = others
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([label]) => label);
    return shares;
  };
}

export function formatCpu(shares: CpuShares | undefined): string {
  if (!shares) return 'cpu: n/a (no /proc)';
  return (
    `cpu (cores): worker ${shares.worker.toFixed(2)}, postgres ${shares.postgres.toFixed(2)}, sink + driver ${shares.bench.toFixed(2)}, ` +
    `redis ${shares.redis.toFixed(2)}, other processes ${shares.other.toFixed(2)}${shares.busiestOthers.length > 0 ? ` (${shares.busiestOthers.join(', ')})` : ''}, irq + softirq + steal ${shares.kernel.toFixed(2)}; idle ${shares.idle.toFixed(2)}`
  );
}

/** Phases during which processes outside the benchmark used noticeable CPU (another job on the box). */
export const disturbed: string[] = [];
const DISTURBED_CORES = 0.25;

/** Warns (and remembers for the summary) when something else competed for the cores. */
export function checkQuiet(label: string, shares: CpuShares | undefined): void {
  if (!shares || shares.other < DISTURBED_CORES) return;
  disturbed.push(`${label} (${shares.other.toFixed(2)} cores)`);
  console.log(
    `  WARNING: other processes used ${shares.other.toFixed(2)} cores during "${label}" (${shares.busiestOthers.join(', ')}); its figures are disturbed`,
  );
}
