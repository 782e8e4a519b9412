import type postgres from 'postgres';
import { rollUpMinutes } from '@tidings/domain';
import { fmtInt, fmtMs, runRate } from './load.ts';
import { loadOptions, verdict, type Context, type Row } from './scenarios.ts';
import { ROWS_PER_USER, USERS, checkpoint, timed } from './setup.ts';

/** What a chart query's p99 should stay under. */
const TIMESERIES_GOAL_MS = 100;
/**
 * An open console refreshes its chart every 15 s and polls `GET /v1/admin/stats` every 5 s: 2 req/s
 * per shape is a handful of consoles open at once on the same shape, with headroom.
 */
const TIMESERIES_RATE = 2;
const STATS_RATE = 2;
/** Email logs spread evenly over the seeded notifications' 100 hours (one every 1.8 s). */
export const TIMESERIES_EMAILS = 200_000;

const HOUR = 3_600_000;

/** The chart queries, each a window ending now. */
const shapes: [string, number, 'minute' | 'hour', number][] = [
  // label, window, bucket, offered rate
  ['last hour by minute', HOUR, 'minute', TIMESERIES_RATE],
  ['last day by minute', 24 * HOUR, 'minute', TIMESERIES_RATE],
  ['last day by hour', 24 * HOUR, 'hour', TIMESERIES_RATE],
  // The widest window there is, over every seeded row.
  ['last 7 days by hour', 7 * 24 * HOUR, 'hour', TIMESERIES_RATE],
];

const timeseriesPath = (span: number, bucket: string) => {
  const to = new Date();
  return `/v1/admin/stats/timeseries?from=${new Date(to.getTime() - span).toISOString()}&to=${to.toISOString()}&bucket=${bucket}`;
};

/** Mostly sent, some still queued, a few failed, bounced or suppressed: one chart line per status. */
async function seedEmailLogs(sql: postgres.Sql): Promise<void> {
  await sql`
    insert into email_logs (user_id, dedupe_key, "to", subject, template, status, attempts, queued_at, sent_at)
    select 'bench-user-' || (1 + n % ${USERS}), 'bench:' || n, 'bench-user-' || (1 + n % ${USERS}) || '@example.com',
           'New comment on "Quarterly planning"', 'comment', s.status, 1, q.at, case when s.status = 'sent' then q.at + interval '2 seconds' end
    from generate_series(1, ${TIMESERIES_EMAILS}) n
    cross join lateral (select now() - n * (${ROWS_PER_USER} * interval '1 hour' / ${TIMESERIES_EMAILS}) as at) q
    cross join lateral (select case when n % 100 < 90 then 'sent' when n % 100 < 95 then 'queued' when n % 100 < 98 then 'failed'
                                    when n % 100 < 99 then 'bounced' else 'suppressed' end as status) s`;
  await sql`vacuum (analyze) email_logs`;
  await checkpoint(sql);
}

/**
 * Admin charts (`GET /v1/admin/stats/timeseries`) over the seeded 1,000,000 notifications and
 * TIMESERIES_EMAILS email logs, then the overview (`GET /v1/admin/stats`): per query shape, an open
 * loop at a steady rate over one connection, so each figure is one query's latency plus any queue a
 * slow one leaves. First the closed minutes are rolled up once, as the worker would have done over
 * the seeded days, and again before each run, as it does every 30 s (unless `--no-rollup`).
 */
export async function timeseriesScenario(ctx: Context): Promise<Row[]> {
  console.log('\ntimeseries: GET /v1/admin/stats/timeseries, windows ending now, admin token, one connection');
  await timed(`add ${fmtInt(TIMESERIES_EMAILS)} email logs over the seeded ${ROWS_PER_USER} hours + vacuum analyze`, () => seedEmailLogs(ctx.sql));
  const rollUp = async () => {
    if (!ctx.rollup) return;
    // One run counts at most a day of minutes; the worker's next ticks take the rest.
    let [minutes, rows] = [0, 0];
    let rolledUntil: string;
    for (let run = await rollUpMinutes(ctx.sql); ; run = await rollUpMinutes(ctx.sql)) {
      [minutes, rows, rolledUntil] = [minutes + run.minutes, rows + run.rows, run.rolledUntil];
      if (run.minutes === 0) break;
    }
    console.log(`  rolled up ${fmtInt(minutes)} closed minutes into ${fmtInt(rows)} per-minute counts (until ${rolledUntil}), as the worker would have`);
  };
  if (ctx.rollup) {
    await timed('roll up the closed minutes of the seeded days once, as the worker would have over those days', rollUp);
    await ctx.sql`vacuum (analyze) notification_minute_counts`;
  } else {
    console.log('  --no-rollup: no per-minute counts, every minute is counted from the rows');
  }
  const headers = { authorization: `Bearer ${ctx.adminToken}` };
  const rows: Row[] = [];
  const measure = async (label: string, rate: number, path: () => string) => {
    const result = await runRate({
      ...loadOptions(ctx),
      connections: 1,
      rate,
      label: `${label}, at a steady ${rate} req/s (open loop, 1 connection)`,
      method: 'GET',
      next: () => ({ path: path(), headers }),
    });
    rows.push([
      `${label} p99`,
      fmtMs(result.p99),
      `< ${TIMESERIES_GOAL_MS} ms${verdict(result.p99 < TIMESERIES_GOAL_MS)}  (${rate} req/s offered, p50 ${fmtMs(result.p50)}, p95 ${fmtMs(result.p95)}, non-2xx ${result.non2xx})`,
    ]);
  };
  for (const [label, span, bucket, rate] of shapes) {
    await rollUp();
    const sample = (await (await fetch(`${ctx.api.url}${timeseriesPath(span, bucket)}`, { headers })).json()) as {
      notifications?: { count: number }[];
      emails?: { count: number }[];
    };
    if (!sample.notifications || !sample.emails) throw new Error(`unexpected timeseries answer: ${JSON.stringify(sample).slice(0, 300)}`);
    const counted = (entries: { count: number }[]) => fmtInt(entries.reduce((sum, entry) => sum + entry.count, 0));
    console.log(
      `  ${label}: ${counted(sample.notifications)} notifications in ${sample.notifications.length} rows, ${counted(sample.emails)} emails in ${sample.emails.length} rows`,
    );
    await measure(`timeseries, ${label}`, rate, () => timeseriesPath(span, bucket));
  }
  await rollUp();
  const overview = (await (await fetch(`${ctx.api.url}/v1/admin/stats`, { headers })).json()) as { today?: { notifications: number } };
  if (!overview.today) throw new Error(`unexpected stats answer: ${JSON.stringify(overview).slice(0, 300)}`);
  console.log(`  overview: ${fmtInt(overview.today.notifications)} notifications today`);
  await measure('GET /v1/admin/stats', STATS_RATE, () => '/v1/admin/stats');
  return rows;
}
