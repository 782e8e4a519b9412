import type { WireNotification } from '@tidings/protocol';

/** What the client should do after the sequencer saw a frame. */
export interface SequencerStep {
  /** Notifications to hand to the app, in seq order; each seq appears here at most once, ever. */
  deliver: WireNotification[];
  /** A gap was seen: ask the server to replay everything after this seq. */
  resumeSince?: number;
  /** The gap from `from` to `to` (inclusive) stayed open after several resumes and was skipped. */
  skipped?: { from: number; to: number };
}

/** Resumes asked for one gap before the held notifications are delivered past it. */
export const DEFAULT_MAX_GAP_RESUMES = 3;

/**
 * Turns the at-least-once, possibly gappy stream of notification frames into exactly-once,
 * in-order delivery, by `seq` (strictly increasing per user, no holes except deleted rows).
 *
 * - seq ≤ lastSeq, or already held: a duplicate (a replay overlapping what was seen); dropped.
 * - seq = lastSeq + 1: delivered, then any held successors.
 * - seq > lastSeq + 1: a live frame was lost or is late. It is held and the client asks for a
 *   `resume` from lastSeq; only one resume is outstanding at a time, so a burst of frames after a
 *   hole costs one round trip.
 * - `resume_complete { last_seq }`: the server has now sent everything up to last_seq that still
 *   exists, so holes at or below it are deleted (or filtered) notifications: held frames up to it
 *   are delivered and lastSeq becomes max(lastSeq, last_seq). A hole above it is asked for again,
 *   at most `maxGapResumes` times, then skipped so the stream never stalls.
 *
 * Pure logic, no I/O or timers, so every rule is unit-tested directly.
 */
export class Sequencer {
  private last: number | undefined;
  private readonly held = new Map<number, WireNotification>();
  private resumePending = false;
  private gapResumes = 0;

  constructor(
    /** The newest seq the app has already seen (e.g. restored from storage); undefined: none. */
    lastSeq: number | undefined,
    private readonly maxGapResumes = DEFAULT_MAX_GAP_RESUMES,
  ) {
    this.last = lastSeq;
  }

  /** The newest seq delivered (or confirmed gone); undefined before the first connection. */
  get lastSeq(): number | undefined {
    return this.last;
  }

  /** How many notifications wait for a gap to be filled. */
  get heldCount(): number {
    return this.held.size;
  }

  /**
   * A new connection is starting. Held frames are dropped because the connection's own replay
   * (from the returned `since`) sends them again, in order. Answers the `since` to connect with:
   * undefined when the client has seen nothing yet, so the server starts at "now".
   */
  startConnection(): number | undefined {
    this.held.clear();
    this.gapResumes = 0;
    // Connecting with `since` starts a replay that ends in resume_complete: that is the resume.
    this.resumePending = this.last !== undefined;
    return this.last;
  }

  /**
   * `connection_established` arrived. Answers the seq the client fell back from when the server's
   * newest seq is behind the client's (a `since` stored for another user or database): the client
   * then starts over from the server's, or it would drop every new notification as a duplicate.
   */
  established(serverLastSeq: number): { resetFrom?: number } {
    if (this.last === undefined) {
      this.last = serverLastSeq;
      return {};
    }
    if (this.last > serverLastSeq) {
      const resetFrom = this.last;
      this.last = serverLastSeq;
      return { resetFrom };
    }
    return {};
  }

  /**
   * This tab joins a connection another tab holds, which has delivered everything up to
   * `sourceLastSeq` (undefined: it has no baseline yet, and its `connection_established` follows).
   * Held frames are dropped: the source's stream carries on from its own lastSeq. Answers, as
   * `established` does, the seq this tab fell back from when its own was ahead; or, when it is
   * behind (an older `since`), the since to ask a replay from, so nothing after it is skipped.
   */
  join(sourceLastSeq: number | undefined): { resetFrom?: number; resumeSince?: number } {
    this.held.clear();
    this.gapResumes = 0;
    const behind = this.last !== undefined && sourceLastSeq !== undefined && this.last < sourceLastSeq;
    this.resumePending = behind;
    if (behind) return { resumeSince: this.last };
    return sourceLastSeq === undefined ? {} : this.established(sourceLastSeq);
  }

  /** A `notification` frame arrived (replayed or live). */
  notification(notification: WireNotification): SequencerStep {
    const { seq } = notification;
    // Without a connection_established first there is no baseline: take this frame as the start.
    if (this.last === undefined) this.last = seq - 1;
    if (seq <= this.last || this.held.has(seq)) return { deliver: [] };
    if (seq === this.last + 1) {
      this.last = seq;
      this.gapResumes = 0;
      return { deliver: [notification, ...this.drain()] };
    }
    this.held.set(seq, notification);
    if (this.resumePending) return { deliver: [] };
    this.resumePending = true;
    return { deliver: [], resumeSince: this.last };
  }

  /** A `resume_complete` arrived: everything up to `serverLastSeq` that exists has been sent. */
  resumeComplete(serverLastSeq: number): SequencerStep {
    this.resumePending = false;
    const deliver: WireNotification[] = [];
    const confirmed = [...this.held.keys()].filter((seq) => seq <= serverLastSeq).sort((a, b) => a - b);
    for (const seq of confirmed) {
      deliver.push(this.held.get(seq)!);
      this.held.delete(seq);
    }
    this.last = Math.max(this.last ?? 0, serverLastSeq);
    deliver.push(...this.drain());
    if (this.held.size === 0) {
      this.gapResumes = 0;
      return { deliver };
    }
    if (++this.gapResumes <= this.maxGapResumes) {
      this.resumePending = true;
      return { deliver, resumeSince: this.last };
    }
    const first = Math.min(...this.held.keys());
    const skipped = { from: this.last + 1, to: first - 1 };
    this.last = first - 1;
    this.gapResumes = 0;
    deliver.push(...this.drainAcrossHoles());
    return { deliver, skipped };
  }

  /** Delivers held frames that now follow lastSeq without a hole. */
  private drain(): WireNotification[] {
    const out: WireNotification[] = [];
    for (let next = this.held.get(this.last! + 1); next; next = this.held.get(this.last + 1)) {
      this.held.delete(next.seq);
      this.last = next.seq;
      out.push(next);
    }
    return out;
  }

  /** Delivers every held frame in seq order, whatever holes lie between them (giving up on a gap). */
  private drainAcrossHoles(): WireNotification[] {
    const out = [...this.held.values()].sort((a, b) => a.seq - b.seq);
    this.held.clear();
    if (out.length > 0) this.last = out.at(-1)!.seq;
    return out;
  }
}
