import type { ApiClient } from './sender.ts';
import { sleep, wallNow } from './setup.ts';
import { median } from './stats.ts';
import type { BusTap } from './tap.ts';
import type { LoadWorker } from './workers.ts';
import type { BroadcastState } from './worker-protocol.ts';

export interface BroadcastRound {
  round: number;
  status: number;
  recipientCount: number;
  expected: number;
  received: number;
  /** POST sent → the last connection got its frame (ms): the headline figure. */
  postToLast: number;
  postToFirst: number;
  /** POST sent → the API answered (ms): mostly inserting one row per recipient. */
  postToAnswer: number;
  /** Published on Redis → first / last frame (ms): the gateway fan-out alone. */
  busToFirst: number;
  busToLast: number;
}

export interface BroadcastResult {
  rounds: BroadcastRound[];
  medianPostToLast: number;
  medianBusToLast: number;
  allReceived: boolean;
}

const TIMEOUT_MS = 20_000;

/** One `to: { all: true }` send at a time, each timed until every connection has its frame. */
export async function runBroadcasts(workers: LoadWorker[], client: ApiClient, tap: BusTap, count: number): Promise<BroadcastResult> {
  const rounds: BroadcastRound[] = [];
  for (let round = 1; round <= count; round++) {
    const expectedPer = await Promise.all(workers.map((w) => w.call<number>({ op: 'expectBroadcast', round })));
    const expected = expectedPer.reduce((a, b) => a + b, 0);
    const states = new Map<number, BroadcastState>();
    let allDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const unsubscribe = workers.map((w) =>
      w.onBroadcastDone((state) => {
        if (state.round !== round) return;
        states.set(w.index, state);
        if (states.size === workers.filter((_, i) => expectedPer[i]! > 0).length) allDone();
      }),
    );
    const postedAt = wallNow();
    const body = JSON.stringify({
      to: { all: true },
      type: 'bench-broadcast',
      title: 'Scheduled maintenance tonight',
      body: 'The service will be read-only from 22:00 to 22:15 UTC while we upgrade the database.',
      data: { b: round, t: postedAt },
    });
    const answer = await client.post('/v1/notifications', body);
    const answeredAt = wallNow();
    let recipientCount = 0;
    try {
      recipientCount = (JSON.parse(answer.text) as { recipient_count?: number }).recipient_count ?? 0;
    } catch {
      // reported through the status
    }
    if (answer.status !== 201) console.log(`  broadcast ${round}: API answered ${answer.status} ${answer.text.slice(0, 200)}`);
    await Promise.race([done, sleep(TIMEOUT_MS)]);
    unsubscribe.forEach((off) => off());
    // Workers that did not finish: take what they have.
    for (const w of workers) {
      if (!states.has(w.index)) {
        const state = await w.call<BroadcastState | undefined>({ op: 'broadcastState', round });
        if (state) states.set(w.index, state);
      }
    }
    const withOffsets = [...states.entries()].map(([index, s]) => ({ ...s, offset: workers[index]!.clockOffset }));
    const received = withOffsets.reduce((sum, s) => sum + s.count, 0);
    const lasts = withOffsets.filter((s) => s.count > 0).map((s) => s.last + s.offset);
    const firsts = withOffsets.filter((s) => s.count > 0).map((s) => s.first + s.offset);
    const last = lasts.length ? Math.max(...lasts) : Number.NaN;
    const first = firsts.length ? Math.min(...firsts) : Number.NaN;
    const busAt = tap.broadcasts.get(round) ?? Number.NaN;
    rounds.push({
      round,
      status: answer.status,
      recipientCount,
      expected,
      received,
      postToLast: last - postedAt,
      postToFirst: first - postedAt,
      postToAnswer: answeredAt - postedAt,
      busToFirst: first - busAt,
      busToLast: last - busAt,
    });
    await sleep(2_000);
  }
  return {
    rounds,
    medianPostToLast: median(rounds.map((r) => r.postToLast)),
    medianBusToLast: median(rounds.map((r) => r.busToLast)),
    allReceived: rounds.every((r) => r.received === r.expected),
  };
}

export function describeBroadcasts(result: BroadcastResult): string {
  const f = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
  return result.rounds
    .map(
      (r) =>
        `  broadcast ${r.round}: ${r.received}/${r.expected} connections (recipient_count ${r.recipientCount}); POST → last frame ${f(r.postToLast)}` +
        ` (API answered after ${f(r.postToAnswer)}, first frame ${f(r.postToFirst)}); Redis → first ${f(r.busToFirst)}, → last ${f(r.busToLast)}`,
    )
    .join('\n');
}
