import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollUpMinutes } from '@tidings/domain';
import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const types = ['rollup-alpha', 'rollup-beta'];

/** Sends one notification (held for a scheduled send when `held`) and moves its row to `at`. */
async function notificationAt(user: string, type: string, at: number, options: { deleted?: boolean; held?: boolean } = {}): Promise<void> {
  const body = { to: { user_ids: [user] }, type, title: `${type} at ${iso(at)}`, ...(options.held ? { send_at: iso(Date.now() + 3_600_000) } : {}) };
  const sent = await h.request('POST', '/v1/notifications', { token: h.service, body });
  expect(sent.status).toBeLessThan(300);
  const [id] = sent.body.notification_ids as string[];
  await h.api.deps.database.sql`update notifications set created_at = ${iso(at)}::timestamptz where id = ${id!}`;
  if (options.deleted) expect((await h.request('DELETE', `/v1/notifications/${id}`, { token: h.userToken(user) })).status).toBe(204);
}

/** What the chart showed before the rollup: released rows counted straight from the table. */
async function countedFromRows(from: number, to: number, seconds: number) {
  const rows = await h.api.deps.database.sql<{ t: number; type: string; count: number }[]>`
    select extract(epoch from date_bin(${`${seconds} seconds`}::interval, created_at, '2000-01-01T00:00:00Z'::timestamptz))::float8 * 1000 as t, type, count(*)::int as count
    from notifications
    where created_at >= ${iso(from)}::timestamptz and created_at < ${iso(to)}::timestamptz and seq is not null and type = any(${types}::text[])
    group by 1, 2 order by 1, type collate "C"`;
  return rows.map((row) => ({ t: iso(row.t), type: row.type, count: row.count }));
}

/** Rolls up until nothing is left to count, as the worker's ticks would (one run counts at most a day). */
async function rollUpAll(options: { now?: Date } = {}) {
  let last = await rollUpMinutes(h.api.deps.database.sql, options);
  while (last.minutes > 0) {
    const next = await rollUpMinutes(h.api.deps.database.sql, options);
    if (next.minutes === 0) break;
    last = next;
  }
  return last;
}

async function charted(from: number, to: number, bucket: 'minute' | 'hour') {
  const response = await h.request('GET', `/v1/admin/stats/timeseries?from=${iso(from)}&to=${iso(to)}&bucket=${bucket}`, { token: h.admin });
  expect(response.status).toBe(200);
  return (response.body.notifications as { t: string; type: string; count: number }[]).filter((entry) => types.includes(entry.type));
}

describe('charts over rolled-up minutes', () => {
  it('answers as a count of the rows would, on both sides of the watermark, and never counts a minute twice', async () => {
    const { sql } = h.api.deps.database;
    const user = uniqueId('rollup');
    const now = Date.now();
    // Counted by the first rollup: closed minutes well before its watermark.
    await notificationAt(user, 'rollup-alpha', now - 40 * MINUTE + 5_000);
    await notificationAt(user, 'rollup-alpha', now - 40 * MINUTE + 50_000);
    await notificationAt(user, 'rollup-beta', now - 30 * MINUTE, { deleted: true });
    await notificationAt(user, 'rollup-alpha', now - 20 * MINUTE, { held: true });
    await notificationAt(user, 'rollup-beta', now - 12 * MINUTE);

    const first = await rollUpAll();
    const watermark = Date.parse(first.rolledUntil);
    expect(watermark).toBe(Math.floor((now - 5 * MINUTE) / MINUTE) * MINUTE);
    expect(first.rows).toBeGreaterThanOrEqual(3);

    // After the watermark, in the minutes the next rollup closes, and in what stays open after it.
    await notificationAt(user, 'rollup-alpha', watermark + 10_000);
    await notificationAt(user, 'rollup-beta', watermark + 50_000, { deleted: true });
    await notificationAt(user, 'rollup-alpha', watermark + 70_000, { held: true });
    await notificationAt(user, 'rollup-beta', watermark + 150_000);
    await notificationAt(user, 'rollup-alpha', watermark + 200_000);
    await notificationAt(user, 'rollup-beta', watermark + 250_000);

    // Two workers at once, for whom the minutes up to watermark + 3 min are closed.
    const later = new Date(watermark + 3 * MINUTE + 5 * MINUTE);
    const runs = await Promise.all([rollUpMinutes(sql, { now: later }), rollUpMinutes(sql, { now: later })]);
    expect(runs.map((run) => run.minutes).sort()).toEqual([0, 3]);
    expect(runs.map((run) => run.rolledUntil)).toEqual([iso(watermark + 3 * MINUTE), iso(watermark + 3 * MINUTE)]);

    const windows: [number, number, 'minute' | 'hour'][] = [
      [now - 60 * MINUTE, now + MINUTE, 'minute'],
      [now - 3 * 3_600_000, now + 3_600_000, 'hour'],
      // Starting and ending inside minutes, on each side of each watermark.
      [now - 40 * MINUTE + 30_000, watermark + 160_000, 'minute'],
      [watermark + 30_000, watermark + 3 * MINUTE + 1, 'minute'],
      [watermark + 60_000, watermark + 3 * MINUTE + 250_000, 'minute'],
      // Ending and starting exactly on the watermark.
      [now - 50 * MINUTE, watermark + 3 * MINUTE, 'minute'],
      [watermark + 3 * MINUTE, now + 5 * MINUTE, 'minute'],
      [now - 24 * 3_600_000, now, 'hour'],
    ];
    for (const [from, to, bucket] of windows) {
      expect(await charted(from, to, bucket), `${iso(from)}..${iso(to)} by ${bucket}`).toEqual(
        await countedFromRows(from, to, bucket === 'minute' ? 60 : 3_600),
      );
    }
    expect(await charted(now - 60 * MINUTE, now + MINUTE, 'hour')).not.toEqual([]);

    const midnight = new Date(now).setUTCHours(0, 0, 0, 0);
    const [{ count } = { count: -1 }] = await sql<{ count: number }[]>`
      select count(*)::int as count from notifications where created_at >= ${iso(midnight)}::timestamptz and seq is not null`;
    const stats = await h.request('GET', '/v1/admin/stats', { token: h.admin });
    expect(stats.body.today.notifications).toBe(count);
  });

  it('catches up a day per run after a long absence, answering as the rows would meanwhile', async () => {
    const { sql } = h.api.deps.database;
    const user = uniqueId('catchup');
    const now = Date.now();
    const state = async () =>
      (await sql<{ until: number }[]>`select extract(epoch from rolled_until)::float8 * 1000 as until from stats_rollup_state`)[0]!.until;
    // As if the worker had been away for three days.
    const away = Math.floor((now - 3 * 24 * 3_600_000) / MINUTE) * MINUTE;
    await sql`update stats_rollup_state set rolled_until = ${iso(away)}::timestamptz`;
    await sql`delete from notification_minute_counts where minute >= ${iso(away)}::timestamptz`;
    for (const hoursAgo of [70, 50, 30, 10]) await notificationAt(user, 'rollup-beta', now - hoursAgo * 3_600_000);
    const window: [number, number] = [now - 4 * 24 * 3_600_000, now];
    const expected = await countedFromRows(...window, 3_600);
    const closed = Math.floor((now - 5 * MINUTE) / MINUTE) * MINUTE;
    // The first run skips the empty two hours, then counts a day: up to 46 hours ago.
    const first = await rollUpMinutes(sql);
    expect(await state()).toBe(Math.floor((now - 70 * 3_600_000) / MINUTE) * MINUTE + 24 * 3_600_000);
    expect(first.minutes).toBe((24 + 2) * 60);
    expect(await charted(...window, 'hour')).toEqual(expected);
    let runs = 1;
    while ((await rollUpMinutes(sql)).minutes > 0) runs++;
    expect(await state()).toBe(closed);
    expect(runs).toBeGreaterThan(1);
    expect(await charted(...window, 'hour')).toEqual(expected);
  });

  it('reads windows older than the counts it keeps from the rows', async () => {
    const user = uniqueId('old');
    const at = Date.parse('2025-06-01T10:00:30Z');
    await notificationAt(user, 'rollup-alpha', at);
    await rollUpAll();
    expect(await charted(at - 3_600_000, at + 3_600_000, 'hour')).toEqual([{ t: '2025-06-01T10:00:00.000Z', type: 'rollup-alpha', count: 1 }]);
  });
});
