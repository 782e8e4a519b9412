/**
 * Where a connection's frames go: a WebSocket or an SSE response. Both take a frame already
 * serialised, so one string is shared by every connection it is written to.
 */
export interface Sink {
  readonly kind: 'ws' | 'sse';
  /** Writes one JSON frame; `seq` is set for notification frames (SSE turns it into `id:`). */
  write(frame: string, seq?: number): void;
  /** Bytes accepted but not yet handed to the kernel. */
  bufferedBytes(): number;
  close(code: number, reason: string): void;
  /** Drops the connection without a closing handshake (dead or hopeless peers). */
  terminate(): void;
}

interface HeldFrame {
  seq: number;
  type: string;
  frame: string;
}

/**
 * One client connection: a sink plus the little state delivery needs. Kept deliberately small (no
 * timers or closures of its own) because a gateway holds tens of thousands of them; the shared
 * sweeps in `sweeps.ts` do heartbeats and token expiry for all of them at once.
 */
export class Connection {
  /** Highest seq written to this connection; a resync after a Redis outage replays from here. */
  lastSeq = 0;
  /** Live notification frames held back while a replay runs, so the client gets them in order. */
  private held: HeldFrame[] | undefined;
  /**
   * Every seq up to here was written by a replay (or existed before the connection began): a live
   * frame for one of them arrives late (committed before the replay read it, published after) and
   * is a copy.
   */
  private coveredUpTo = 0;
  /** Types of live notifications the client wants; undefined means all. */
  types: Set<string> | undefined;
  alive = true;
  /** Token expiry, in seconds since the epoch (undefined: the token never expires). */
  expiresAt: number | undefined;
  messageCount = 0;
  windowStartedAt = 0;
  closed = false;
  /** The replay running or queued on this connection, if any. */
  replayQueue: Promise<number> | undefined;

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly sink: Sink,
    readonly connectedAt: string,
  ) {}

  wants(type: string): boolean {
    return this.types === undefined || this.types.has(type);
  }

  /** Writes a live notification frame, or holds it while a replay is running. */
  deliver(seq: number, type: string, frame: string): boolean {
    if (this.closed || !this.wants(type) || seq <= this.coveredUpTo) return false;
    if (this.held) {
      this.held.push({ seq, type, frame });
      return false;
    }
    this.sink.write(frame, seq);
    if (seq > this.lastSeq) this.lastSeq = seq;
    return true;
  }

  /** Writes a replayed notification frame (live ones are held meanwhile). */
  replayed(seq: number, type: string, frame: string): boolean {
    if (this.closed || !this.wants(type)) return false;
    this.sink.write(frame, seq);
    if (seq > this.lastSeq) this.lastSeq = seq;
    return true;
  }

  /** Writes a frame that carries no seq (state changes, pongs, errors). */
  send(frame: string): void {
    if (!this.closed) this.sink.write(frame);
  }

  get replaying(): boolean {
    return this.held !== undefined;
  }

  beginReplay(): void {
    this.held ??= [];
  }

  /**
   * Ends a replay: held frames the replay already covered (seq ≤ `coveredUpTo`) are dropped, the
   * rest are written in seq order. Answers how many were written.
   */
  endReplay(coveredUpTo: number): number {
    const held = this.held ?? [];
    this.held = undefined;
    if (coveredUpTo > this.coveredUpTo) this.coveredUpTo = coveredUpTo;
    held.sort((a, b) => a.seq - b.seq);
    let written = 0;
    let last = 0;
    for (const frame of held) {
      if (frame.seq === last) continue;
      last = frame.seq;
      if (this.deliver(frame.seq, frame.type, frame.frame)) written++;
    }
    return written;
  }

  /** Counts a client message; answers 'ok', 'warn' (over the limit) or 'close' (far over it). */
  countMessage(now: number, windowMs: number, limit: number): 'ok' | 'warn' | 'close' {
    if (now - this.windowStartedAt >= windowMs) {
      this.windowStartedAt = now;
      this.messageCount = 0;
    }
    this.messageCount++;
    if (this.messageCount > limit * 2) return 'close';
    return this.messageCount > limit ? 'warn' : 'ok';
  }
}
