import type { Connection } from './connection.ts';

/**
 * Token expiry for every connection, filed by the second it expires in, so one timer checks only
 * the connections expiring now instead of one timer per connection.
 */
export class ExpiryWheel {
  private readonly buckets = new Map<number, Set<Connection>>();
  private readonly filed = new WeakMap<Connection, number>();

  add(connection: Connection): void {
    this.remove(connection);
    if (connection.expiresAt === undefined) return;
    const second = Math.ceil(connection.expiresAt);
    let bucket = this.buckets.get(second);
    if (!bucket) this.buckets.set(second, (bucket = new Set()));
    bucket.add(connection);
    this.filed.set(connection, second);
  }

  remove(connection: Connection): void {
    const second = this.filed.get(connection);
    if (second === undefined) return;
    this.filed.delete(connection);
    const bucket = this.buckets.get(second);
    bucket?.delete(connection);
    if (bucket?.size === 0) this.buckets.delete(second);
  }

  /** Removes and answers every connection whose token has expired by `nowSeconds`. */
  takeExpired(nowSeconds: number): Connection[] {
    const expired: Connection[] = [];
    for (const [second, bucket] of this.buckets) {
      if (second > nowSeconds) continue;
      for (const connection of bucket) {
        expired.push(connection);
        this.filed.delete(connection);
      }
      this.buckets.delete(second);
    }
    return expired;
  }
}
