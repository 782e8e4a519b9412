import type { PresenceReader } from '@tidings/cluster';
import type { Database, Sql } from '@tidings/db';
import { timeseriesBuckets, type Stats, type Timeseries, type TimeseriesQuery } from '@tidings/protocol';
import { visibleNotificationSql } from '../inbox/visible.ts';

type EmailStatus = Timeseries['emails'][number]['status'];

const queueStates = ['waiting', 'active', 'delayed', 'failed'] as const;
type QueueState = (typeof queueStates)[number];

/** A queue that counts its jobs by state, as BullMQ's `Queue#getJobCounts` does. */
export interface JobCounter {
  getJobCounts(...states: QueueState[]): Promise<Record<string, number>>;
}

/** Buckets start on whole UTC minutes and hours: an origin at a UTC midnight aligns both. */
const BUCKET_ORIGIN = '2000-01-01T00:00:00Z';

/**
 * The UTC minute of a row: the key of `notifications_created_minute_idx` and
 * `email_logs_queued_minute_idx`, spelled as there (constants in the text, not parameters), or the
 * planner cannot use them.
 */
const minuteOf = (sql: Sql, column: 'created_at' | 'queued_at') => sql`date_bin('1 minute', ${sql(column)}, '2000-01-01 00:00:00+00'::timestamptz)`;

const MINUTE_MS = 60_000;

/** A statement not yet run, to nest in another. */
type Fragment = ReturnType<Sql['unsafe']>;

const startOfUtcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

const byStatus = (rows: readonly { status: string; count: number }[]) => Object.fromEntries(rows.map((row) => [row.status, row.count]));

/**
 * The operator's overview and charts. Counts come from Postgres; connections from presence; queue
 * depths from the queue itself. Notifications count from their creation once they have a seq
 * (held rows of a scheduled send count when released), whether or not a user deleted them since;
 * the closed minutes from the worker's per-minute counts (`rollUpMinutes`), the rest from the rows.
 */
export class AdminStats {
  constructor(
    private readonly database: Database,
    private readonly presence: PresenceReader,
    private readonly emailQueue: JobCounter,
  ) {}

  async overview(now = new Date()): Promise<Stats> {
    const since = startOfUtcDay(now);
    const [counts, today, gateways, connections, emailJobs] = await Promise.all([
      this.totals(),
      this.since(since),
      this.presence.gateways(),
      this.presence.connections(),
      this.emailQueue.getJobCounts(...queueStates),
    ]);
    const perGateway = new Map(gateways.map((id) => [id, { connections: 0, users: new Set<string>() }]));
    for (const connection of connections) {
      let gateway = perGateway.get(connection.gateway_id);
      if (!gateway) perGateway.set(connection.gateway_id, (gateway = { connections: 0, users: new Set() }));
      gateway.connections += 1;
      gateway.users.add(connection.user_id);
    }
    return {
      ...counts,
      gateways: perGateway.size,
      connections: connections.length,
      online_users: new Set(connections.map((connection) => connection.user_id)).size,
      today,
      per_gateway: [...perGateway]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([gateway_id, gateway]) => ({ gateway_id, connections: gateway.connections, users: gateway.users.size })),
      queues: { email: Object.fromEntries(queueStates.map((state) => [state, emailJobs[state] ?? 0])) as Record<QueueState, number> },
    };
  }

  /**
   * Notifications created in [from, to) per bucket and type, and emails queued in it per bucket and
   * status: counted per minute (see `notificationMinutes` and `emailMinutes`), then those counts
   * summed per bucket.
   */
  async timeseries(query: TimeseriesQuery): Promise<Timeseries> {
    const seconds = timeseriesBuckets[query.bucket];
    const window = { from: query.from.toISOString(), to: query.to.toISOString() };
    const width = `${seconds} seconds`;
    const [notifications, emails] = await Promise.all([
      this.perBucket(width, this.notificationMinutes(window.from, window.to)),
      this.perBucket(width, this.emailMinutes(window.from, window.to)),
    ]);
    return {
      from: window.from,
      to: window.to,
      bucket: query.bucket,
      bucket_seconds: seconds,
      notifications: notifications.map((row) => ({ t: new Date(row.t).toISOString(), type: row.key, count: row.count })),
      emails: emails.map((row) => ({ t: new Date(row.t).toISOString(), status: row.key as EmailStatus, count: row.count })),
    };
  }

  /** Sums per-minute counts (`minute`, `key`, `count`) per bucket. Bucket starts come back as epoch milliseconds: the shared client hands timestamps over as text. */
  private perBucket(width: string, minutes: Fragment) {
    const { sql } = this.database;
    return sql<{ t: number; key: string; count: number }[]>`
      select extract(epoch from date_bin(${width}::interval, m.minute, ${BUCKET_ORIGIN}::timestamptz))::float8 * 1000 as t, m.key, sum(m.count)::int as count
      from ${minutes} m
      group by 1, 2 order by 1, m.key collate "C"`;
  }

  /**
   * Released notifications per minute and type of [from, to) (no end when `to` is left out), as a
   * subquery. The minutes the rollup has counted (`rollUpMinutes`: [rolled_from, rolled_until) of
   * `stats_rollup_state`) that lie whole inside the window come from `notification_minute_counts`;
   * the minutes before them and from them on (the open tail, a minute the window starts or ends
   * inside of, anything older than the rollup keeps) from the rows, through a range of
   * `notifications_created_minute_idx` each. One statement, so the watermark and the counts are read
   * in one snapshot: a rollup committing meanwhile is seen whole or not at all.
   */
  private notificationMinutes(from: string, to: string | undefined) {
    const { sql } = this.database;
    const minute = minuteOf(sql, 'created_at');
    // The whole minutes of the window: from its first minute start at or after `from` to the last one ending by `to`.
    const wholeFrom = new Date(Math.ceil(Date.parse(from) / MINUTE_MS) * MINUTE_MS).toISOString();
    const wholeUntil = to === undefined ? 'infinity' : new Date(Math.floor(Date.parse(to) / MINUTE_MS) * MINUTE_MS).toISOString();
    const rows = (range: Fragment) => sql`
      select ${minute} as minute, type as key, count(*) as count
      from notifications
      where ${range} and created_at >= ${from}::timestamptz ${to === undefined ? sql`` : sql`and ${minute} < ${to}::timestamptz and created_at < ${to}::timestamptz`}
        and seq is not null
      group by 1, 2`;
    // lo <= hi always, so the three ranges [window start, lo), [lo, hi), [hi, window end) never overlap.
    return sql`(
      with rolled as (
        select greatest(rolled_from, ${wholeFrom}::timestamptz) as lo,
               greatest(rolled_from, ${wholeFrom}::timestamptz, least(rolled_until, ${wholeUntil}::timestamptz)) as hi
        from stats_rollup_state where id = 1
      )
      ${rows(sql`${minute} >= date_bin('1 minute', ${from}::timestamptz, ${BUCKET_ORIGIN}::timestamptz) and ${minute} < coalesce((select lo from rolled), 'infinity')`)}
      union all
      select minute, type, count from notification_minute_counts
      where minute >= (select lo from rolled) and minute < (select hi from rolled)
      union all
      ${rows(sql`${minute} >= (select hi from rolled)`)}
    )`;
  }

  /** Emails queued per minute and status of [from, to): email counts change with their status, so always from the rows, through a range of `email_logs_queued_minute_idx`. */
  private emailMinutes(from: string, to: string) {
    const { sql } = this.database;
    const minute = minuteOf(sql, 'queued_at');
    return sql`(
      select ${minute} as minute, status as key, count(*) as count
      from email_logs
      where ${minute} >= date_bin('1 minute', ${from}::timestamptz, ${BUCKET_ORIGIN}::timestamptz) and ${minute} < ${to}::timestamptz
        and queued_at >= ${from}::timestamptz and queued_at < ${to}::timestamptz
      group by 1, 2
    )`;
  }

  private async totals() {
    const { sql } = this.database;
    const visible = visibleNotificationSql(sql);
    const [[counts], broadcasts, emails] = await Promise.all([
      sql<{ recipients: number; notifications: number; unread: number; scheduled: number }[]>`
        select (select count(*)::int from recipients) as recipients,
               (select count(*)::int from notifications where ${visible}) as notifications,
               (select count(*)::int from notifications where ${visible} and not is_read) as unread,
               (select count(*)::int from notifications where seq is null and deleted_at is null) as scheduled`,
      sql<{ status: string; count: number }[]>`select status, count(*)::int as count from broadcasts group by status`,
      sql<{ status: string; count: number }[]>`select status, count(*)::int as count from email_logs group by status`,
    ]);
    return { ...counts!, broadcasts: byStatus(broadcasts), emails: byStatus(emails) };
  }

  private async since(since: Date): Promise<Stats['today']> {
    const { sql } = this.database;
    const at = since.toISOString();
    const [[released], emails] = await Promise.all([
      sql<{ count: number }[]>`select coalesce(sum(m.count), 0)::int as count from ${this.notificationMinutes(at, undefined)} m`,
      // `since` is a whole minute, so comparing minutes counts exactly the rows since then.
      sql<{ status: string; count: number }[]>`
        select status, count(*)::int as count from email_logs where ${minuteOf(sql, 'queued_at')} >= ${at}::timestamptz group by status`,
    ]);
    return { since: at, notifications: released!.count, emails: byStatus(emails) };
  }
}
