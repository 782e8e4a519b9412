import type { Sql } from '@tidings/db';

const MINUTE_MS = 60_000;

/**
 * How long the per-minute counts are kept, in milliseconds: a day more than the longest chart
 * window (`limits.timeseriesSpanMs`), so a week ending now is read from them whole.
 */
export const ROLLUP_RETENTION_MS = 8 * 24 * 3_600_000;

/**
 * How long after its end a minute is taken as closed. A long transaction (a broadcast to a million
 * recipients) commits rows stamped with the time it started, and a created_at comes from the clock
 * of the API or worker that wrote it, not from Postgres.
 * @defaultValue 300000
 */
export const ROLLUP_CLOSED_AFTER_MS = 5 * MINUTE_MS;

/**
 * The most one run counts: a day of minutes, from the first row after the watermark. A first run, or one after a long outage, catches up
 * over several ticks rather than in one long transaction that would hold up the worker's other
 * maintenance (the release of scheduled sends runs on the same queue).
 * @defaultValue 86400000
 */
export const ROLLUP_MAX_RUN_MS = 24 * 3_600_000;

export interface RollUpOptions {
  /** @defaultValue the current time */
  now?: Date;
  /** @defaultValue ROLLUP_CLOSED_AFTER_MS */
  closedAfterMs?: number;
}

export interface RollUpResult {
  /** Minutes newly counted (the watermark moved by as many). */
  minutes: number;
  /** Rows written to `notification_minute_counts` (one per minute and type with a count). */
  rows: number;
  /** Rows older than the retention deleted. */
  pruned: number;
  /** The watermark after the run: every minute before it (and since `rolled_from`) is counted. */
  rolledUntil: string;
}

const floorToMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Counts the released notifications of every closed minute not counted yet, per minute and type,
 * into `notification_minute_counts`, and moves the watermark (`stats_rollup_state.rolled_until`)
 * past them; deletes counts older than the retention and moves `rolled_from` up to match. The
 * admin charts and today's count read minutes in [rolled_from, rolled_until) from those counts
 * and every other minute from `notifications`, in one statement, so they see the counts and the
 * watermark of one committed run (see `AdminStats`).
 *
 * Guarantee: each minute is counted at most once, by one transaction that holds the watermark row
 * (`for update`): a second run, in this process or another worker, waits for it and then finds
 * the minutes counted; a duplicate would also break the primary key rather than double a count. A
 * minute is counted once it ended `closedAfterMs` ago (5 minutes); the first run starts at the
 * retention horizon (8 days back), never at the beginning of time, and so does a run after the
 * worker was away for longer than that; one run counts at most a day (`ROLLUP_MAX_RUN_MS`), and
 * the minutes not counted yet are read from the rows meanwhile.
 *
 * Known gaps, where a chart no longer matches a count of the table: a row committed more than
 * `closedAfterMs` after its `created_at` (its minute was counted without it) is never counted; and
 * rows removed for good once their minute was counted (a recipient deleted with their
 * notifications) still count, as soft-deleted ones always do. Notifications never change their
 * creation minute or type otherwise: a held row of a scheduled send gets its `created_at` when
 * released, which is when it gets a seq.
 */
export async function rollUpMinutes(sql: Sql, options: RollUpOptions = {}): Promise<RollUpResult> {
  const now = (options.now ?? new Date()).getTime();
  const closedBefore = floorToMinute(now - (options.closedAfterMs ?? ROLLUP_CLOSED_AFTER_MS));
  const horizon = floorToMinute(now - ROLLUP_RETENTION_MS);
  return sql.begin(async (tx) => {
    // Epoch milliseconds: the shared client hands timestamps over as text.
    const [state] = await tx<{ rolled_from: number; rolled_until: number }[]>`
      select extract(epoch from rolled_from)::float8 * 1000 as rolled_from, extract(epoch from rolled_until)::float8 * 1000 as rolled_until
      from stats_rollup_state where id = 1 for update`;
    if (!state) throw new Error('stats_rollup_state has no row: run the migrations');
    // Minutes already past the retention are not counted only to be deleted.
    const start = Math.max(state.rolled_until, horizon);
    // A stretch without a row costs nothing: the day a run counts starts at the first row after the watermark.
    const [first] = await tx<{ at: number | null }[]>`
      select extract(epoch from min(date_bin('1 minute', created_at, '2000-01-01 00:00:00+00'::timestamptz)))::float8 * 1000 as at
      from notifications
      where date_bin('1 minute', created_at, '2000-01-01 00:00:00+00'::timestamptz) >= ${iso(start)}::timestamptz
        and date_bin('1 minute', created_at, '2000-01-01 00:00:00+00'::timestamptz) < ${iso(closedBefore)}::timestamptz
        and seq is not null`;
    const end = first?.at == null ? closedBefore : Math.min(closedBefore, Math.max(start, first.at) + ROLLUP_MAX_RUN_MS);
    let rows = 0;
    if (start < end) {
      // The key spelled as notifications_created_minute_idx has it (see minuteOf in admin-stats.ts).
      const inserted = await tx`
        insert into notification_minute_counts (minute, type, count)
        select date_bin('1 minute', created_at, '2000-01-01 00:00:00+00'::timestamptz), type, count(*)
        from notifications
        where date_bin('1 minute', created_at, '2000-01-01 00:00:00+00'::timestamptz) >= ${iso(start)}::timestamptz
          and date_bin('1 minute', created_at, '2000-01-01 00:00:00+00'::timestamptz) < ${iso(end)}::timestamptz
          and seq is not null
        group by 1, 2`;
      rows = inserted.count;
    }
    const pruned = await tx`delete from notification_minute_counts where minute < ${iso(horizon)}::timestamptz`;
    const rolledUntil = Math.max(start, end);
    // Past the horizon nothing is kept; when it passed the old watermark, counting restarts at it.
    const rolledFrom = Math.min(Math.max(state.rolled_from, horizon), rolledUntil);
    if (rolledFrom !== state.rolled_from || rolledUntil !== state.rolled_until) {
      await tx`update stats_rollup_state set rolled_from = ${iso(rolledFrom)}::timestamptz, rolled_until = ${iso(rolledUntil)}::timestamptz where id = 1`;
    }
    return { minutes: (rolledUntil - start) / MINUTE_MS, rows, pruned: pruned.count, rolledUntil: iso(rolledUntil) };
  });
}
