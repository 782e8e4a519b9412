import type { System } from './options.ts';

/** One connection to open: the user index (`bench-<n>`), the gateway's http URL and, to resume, the `since` seq. */
export type Target = [user: number, url: string, since?: number];

export type WorkerRequest =
  /** `trackSeqs`: account every user's seqs as the SDK does (one connection per user; Tidings only). */
  | { op: 'init'; system: System; secret: string; concurrency: number; trackSeqs?: boolean }
  | { op: 'connect'; group: number; targets: Target[] }
  | { op: 'close'; group: number }
  | { op: 'clock' }
  | { op: 'resetLatency' }
  | { op: 'latency' }
  | { op: 'expectBroadcast'; round: number }
  | { op: 'broadcastState'; round: number }
  | { op: 'stats' }
  /** Reopens the users whose connection dropped, then closes `count` random connections of `group` and reopens each with `since`. */
  | { op: 'churn'; group: number; count: number }
  | { op: 'delivery' }
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

export interface ChurnResult {
  /** Connections closed on purpose (half with the close handshake, half dropped) and reopened with `since`. */
  closed: number;
  /** Users whose connection had dropped (closed by the server, or a reconnect that failed), reopened. */
  restored: number;
  failed: number;
  errors: string[];
  ms: number;
}

/** Per-user seq accounting, deduplicated by seq as the SDK does (with `trackSeqs`). */
export interface DeliveryStats {
  /** Notification frames received, replayed or live. */
  frames: number;
  /** Frames whose user and seq had arrived already: the SDK drops them. */
  duplicates: number;
  /** Of those, frames the same connection had received already (a gateway writes each seq once per connection). */
  sameConnectionDuplicates: number;
  /** Frames that arrived while an earlier seq of the user was missing (the SDK would ask for the gap). */
  early: number;
  resumes: number;
  /** Sum of `resume_complete.count`: notifications the gateways replayed. */
  replayed: number;
  /** Users with no open connection right now. */
  down: number;
}

export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Pushed by a worker, unasked, once every connection it holds received broadcast `round`. */
export interface BroadcastDone {
  event: 'broadcastDone';
  state: BroadcastState;
}
