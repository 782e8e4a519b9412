/**
 * The user's unread count as the server has it. The gateway sends the count on every connection
 * (`connection_established`, which covers every notification up to its `last_seq`) and after
 * every read or delete; a new notification carries none, but it is unread when created, so each
 * unread one with a seq beyond what the last count covered adds one. A replay never adds: what it
 * brings was already in the count the connection opened with.
 */
export class UnreadCounter {
  private count: number | undefined;
  private coveredUpTo = 0;

  get value(): number | undefined {
    return this.count;
  }

  /** A count from the server that covers every notification up to `seq`; answers the count. */
  set(count: number, seq: number | undefined): number {
    this.count = count;
    if (seq !== undefined) this.coveredUpTo = Math.max(this.coveredUpTo, seq);
    return count;
  }

  /** A notification was delivered; answers the new count when it changed it. */
  delivered(notification: { seq: number; is_read: boolean }): number | undefined {
    if (notification.seq <= this.coveredUpTo) return undefined;
    this.coveredUpTo = notification.seq;
    if (notification.is_read || this.count === undefined) return undefined;
    return ++this.count;
  }
}
