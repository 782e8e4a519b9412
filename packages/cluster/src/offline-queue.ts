import type { Redis } from 'ioredis';

/** A serialised `notification` frame with its seq, ready to write to a socket as it is. */
export interface QueuedFrame {
  seq: number;
  frame: string;
}

/**
 * The capped per-user cache of recent notification frames, written on the publish path and read
 * on reconnect, so a reconnect storm does not become a database storm.
 *
 * Guarantee: what it returns was appended, one frame per seq (the one appended last), in seq
 * order; nothing beyond that. It may have lost anything (capped to the newest `size` seqs,
 * expired, flushed), so callers check that what it returns is contiguous and fall back to Postgres
 * otherwise. It knows nothing of read state: a hit stays fresh only because writers `forget` the
 * notifications whose read state changed or that were deleted, and a forget removes only what is
 * stored when it runs (an append that lands after it, from a publish or relay that read the row
 * before the change, stores the old frame again).
 */
export interface OfflineQueue {
  /** Stores frames by seq, each replacing a stored frame of the same seq, then drops the oldest beyond the size. */
  append(userId: string, entries: readonly QueuedFrame[]): Promise<void>;
  /** Frames with a seq greater than `since`, one per seq, in seq order. */
  after(userId: string, since: number): Promise<QueuedFrame[]>;
  /** Drops the given seqs, or the user's whole queue when `seqs` is omitted. */
  forget(userId: string, seqs?: readonly number[]): Promise<void>;
}

export class RedisOfflineQueue implements OfflineQueue {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly size: number,
    /** Idle users' queues expire; their next reconnect reads Postgres. */
    private readonly ttlSeconds = 7 * 24 * 3_600,
  ) {}

  private key(userId: string): string {
    return `${this.prefix}offline:${userId}`;
  }

  async append(userId: string, entries: readonly QueuedFrame[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.key(userId);
    // Frames are members scored by seq: a new frame of a stored seq (a republish, with its read
    // state as of then) is another member, so the old one goes first.
    const transaction = this.redis.multi();
    for (const entry of entries) transaction.zremrangebyscore(key, entry.seq, entry.seq).zadd(key, entry.seq, entry.frame);
    await transaction
      .zremrangebyrank(key, 0, -(this.size + 1))
      .expire(key, this.ttlSeconds)
      .exec();
  }

  async after(userId: string, since: number): Promise<QueuedFrame[]> {
    const flat = await this.redis.zrangebyscore(this.key(userId), `(${since}`, '+inf', 'WITHSCORES');
    const frames: QueuedFrame[] = [];
    for (let i = 0; i < flat.length; i += 2) frames.push({ frame: flat[i]!, seq: Number(flat[i + 1]) });
    return frames;
  }

  async forget(userId: string, seqs?: readonly number[]): Promise<void> {
    const key = this.key(userId);
    if (seqs === undefined) {
      await this.redis.del(key);
      return;
    }
    if (seqs.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const seq of seqs) pipeline.zremrangebyscore(key, seq, seq);
    await pipeline.exec();
  }
}

export class MemoryOfflineQueue implements OfflineQueue {
  private readonly queues = new Map<string, QueuedFrame[]>();

  constructor(private readonly size: number) {}

  async append(userId: string, entries: readonly QueuedFrame[]): Promise<void> {
    const bySeq = new Map((this.queues.get(userId) ?? []).map((entry) => [entry.seq, entry]));
    for (const entry of entries) bySeq.set(entry.seq, entry);
    const sorted = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    this.queues.set(userId, sorted.slice(-this.size));
  }

  async after(userId: string, since: number): Promise<QueuedFrame[]> {
    return (this.queues.get(userId) ?? []).filter((entry) => entry.seq > since);
  }

  async forget(userId: string, seqs?: readonly number[]): Promise<void> {
    if (seqs === undefined) {
      this.queues.delete(userId);
      return;
    }
    const drop = new Set(seqs);
    this.queues.set(
      userId,
      (this.queues.get(userId) ?? []).filter((entry) => !drop.has(entry.seq)),
    );
  }
}
