import { sleep } from './setup.ts';
import type { LoadWorker } from './workers.ts';

export interface ChurnTotals {
  ticks: number;
  /** Connections closed on purpose and reopened with `since`. */
  closed: number;
  /** Connections that had dropped by themselves (or failed to reopen), reopened. */
  restored: number;
  failed: number;
  firstErrors: string[];
  /** Ticks that took longer than their second, so the churn asked for was not reached. */
  slowTicks: number;
  slowestTickMs: number;
}

/**
 * Every second, each worker closes its share of `perSecond` random connections (group 0) and
 * reopens them with `since`, and reopens any that dropped; fractions carry over to the next second.
 * `onError` is told if a worker stops answering.
 */
export function churnEverySecond(workers: LoadWorker[], perSecond: number, onError: (error: Error) => void): { stop(): Promise<ChurnTotals> } {
  const totals: ChurnTotals = { ticks: 0, closed: 0, restored: 0, failed: 0, firstErrors: [], slowTicks: 0, slowestTickMs: 0 };
  let stopping = false;
  let owed = 0;
  const loop = (async () => {
    while (!stopping) {
      const started = performance.now();
      owed += perSecond;
      const count = Math.floor(owed);
      owed -= count;
      const results = await Promise.all(workers.map((worker, i) => worker.churn(0, Math.floor(count / workers.length) + (i < count % workers.length ? 1 : 0))));
      for (const result of results) {
        totals.closed += result.closed;
        totals.restored += result.restored;
        totals.failed += result.failed;
        for (const error of result.errors) if (totals.firstErrors.length < 5) totals.firstErrors.push(error);
      }
      totals.ticks++;
      const ms = performance.now() - started;
      totals.slowestTickMs = Math.max(totals.slowestTickMs, Math.round(ms));
      if (ms > 1_000) totals.slowTicks++;
      else await sleep(1_000 - ms);
    }
  })().catch((error: unknown) => onError(error as Error));
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return totals;
    },
  };
}
