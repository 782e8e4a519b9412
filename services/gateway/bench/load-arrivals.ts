/**
 * What the load worker records of notification frames: each latency run's `data.k` with its
 * arrival time, and each broadcast round's (`data.b`) count and first and last arrival.
 */
import type { BroadcastDone, BroadcastState, LatencyRecords } from './worker-protocol.ts';

export const wallNow = (): number => performance.timeOrigin + performance.now();

let keys: number[] = [];
let arrivals: number[] = [];
const rounds = new Map<number, BroadcastState>();

/** Records a notification's `data` that arrived `at`; tells the bench once a round has all the frames it expects. */
export function recordArrival(at: number, data: { k?: number; b?: number } | undefined): void {
  if (!data) return;
  if (data.k !== undefined) {
    keys.push(data.k);
    arrivals.push(at);
  } else if (data.b !== undefined) {
    const state = rounds.get(data.b);
    if (!state) return;
    state.count++;
    if (state.first === 0) state.first = at;
    state.last = at;
    if (state.count === state.expected) process.send!({ event: 'broadcastDone', state } satisfies BroadcastDone);
  }
}

export function resetLatency(): void {
  keys = [];
  arrivals = [];
}

export function latencyRecords(): LatencyRecords {
  return { keys: Float64Array.from(keys), arrivals: Float64Array.from(arrivals) };
}

/** Starts counting round `round`, which is done once `expected` frames arrived; returns `expected`. */
export function expectBroadcast(round: number, expected: number): number {
  const state: BroadcastState = { round, count: 0, expected, first: 0, last: 0 };
  rounds.set(round, state);
  return state.expected;
}

export function broadcastState(round: number): BroadcastState | undefined {
  return rounds.get(round);
}
