import type { System } from './options.ts';

/** One connection to open: the user index (`bench-<n>`) and the gateway's http URL. */
export type Target = [user: number, url: string];

export type WorkerRequest =
  | { op: 'init'; system: System; secret: string; concurrency: number }
  | { op: 'connect'; group: number; targets: Target[] }
  | { op: 'close'; group: number }
  | { op: 'clock' }
  | { op: 'resetLatency' }
  | { op: 'latency' }
  | { op: 'expectBroadcast'; round: number }
  | { op: 'broadcastState'; round: number }
  | { op: 'stats' }
  | { op: 'shutdown' };

export interface ConnectResult {
  connected: number;
  failed: number;
  errors: string[];
  ms: number;
}

export interface LatencyRecords {
  /** `data.k` of each latency notification received, and its arrival (wall ms), pairwise. */
  keys: Float64Array;
  arrivals: Float64Array;
}

export interface BroadcastState {
  round: number;
  count: number;
  expected: number;
  first: number;
  last: number;
}

export interface WorkerStats {
  open: number;
  unexpectedCloses: number;
  closeCodes: Record<string, number>;
  frames: number;
}

export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Pushed by a worker, unasked, once every connection it holds received broadcast `round`. */
export interface BroadcastDone {
  event: 'broadcastDone';
  state: BroadcastState;
}
