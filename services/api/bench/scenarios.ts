import { Redis } from 'ioredis';
import type postgres from 'postgres';
import { checkQuiet, formatCpu, startCpuSample, type CpuGroups } from './cpu.ts';
import { fmtInt, fmtMs, runLoad, runRate, type LoadResult } from './load.ts';
import { BROADCAST_RECIPIENTS, BROADCAST_ROLE, REDIS_PREFIX, USERS, seedBroadcastAudience, timed, userId, type ApiChild } from './setup.ts';

export const SERVICE = 'bench-service';

export interface Context {
  /** The first API process answers the one-off requests; load goes to all of them. */
  api: ApiChild;
  apis: ApiChild[];
  sql: postgres.Sql;
  redisUrl: string;
  serviceToken: string;
  /** For the admin routes (charts). */
  adminToken: string;
  /** Signed tokens of bench-user-1 … bench-user-10000, in that order. */
  userTokens: string[];
  connections: number;
  seconds: number;
  warmup: number;
  /** Offered rate of the open-loop list run. */
  listRate: number;
  /** Whether the timeseries runs roll up the closed minutes first, as the worker does (`--no-rollup`: not). */
  rollup: boolean;
}

/** A summary line: figure, result, goal (with the verdict and side figures). */
export type Row = [string, string, string];

export const randomUser = () => 1 + Math.floor(Math.random() * USERS);
export const verdict = (met: boolean) => (met ? '' : '  MISSED');
export const loadOptions = (ctx: Context) => ({
  apiPids: ctx.apis.map((api) => api.pid),
  baseUrls: ctx.apis.map((api) => api.url),
  connections: ctx.connections,
  seconds: ctx.seconds,
  warmupSeconds: ctx.warmup,
});

/** A realistic single-recipient request body of about 300 bytes. */
export function createBody(user: number): string {
  const post = 10_000 + Math.floor(Math.random() * 90_000);
  return JSON.stringify({
    to: { user_ids: [userId(user)] },
    type: 'comment',
    title: `New comment on "Quarterly planning ${post}"`,
    body: 'Alex Example replied to your comment: looks good to me, let us ship it on Thursday after the review.',
    data: { post_id: post, comment_id: post * 7, author: 'alex' },
    action_url: `https://example.com/posts/${post}`,
  });
}

export async function listScenario(ctx: Context): Promise<Row[]> {
  console.log('\nlist: GET /v1/notifications?limit=20, a random user (own token) per request');
  const userHeaders = () => ({ authorization: `Bearer ${ctx.userTokens[randomUser() - 1]!}` });
  const response = await fetch(`${ctx.api.url}/v1/notifications?limit=20`, { headers: { authorization: `Bearer ${ctx.userTokens[0]!}` } });
  const firstPage = (await response.json()) as { items: unknown[]; next_cursor: string | null };
  if (firstPage.items.length !== 20 || firstPage.next_cursor === null) throw new Error(`unexpected first page: ${JSON.stringify(firstPage).slice(0, 300)}`);
  // Every seeded user has the same seqs, so user 1's second-page cursor fits everyone.
  const cursor = encodeURIComponent(firstPage.next_cursor);
  const runs: [string, string][] = [
    ['list p99 (1M rows, 10k users)', '/v1/notifications?limit=20'],
    ['list unread_only p99', '/v1/notifications?limit=20&unread_only=true'],
    ['list page 2 (cursor) p99', `/v1/notifications?limit=20&cursor=${cursor}`],
  ];
  const rows: Row[] = [];
  for (const [label, path] of runs) {
    const result: LoadResult = await runLoad({ ...loadOptions(ctx), label, method: 'GET', next: () => ({ path, headers: userHeaders() }) });
    rows.push([
      label,
      fmtMs(result.p99),
      `< 20 ms${verdict(result.p99 < 20)}  (${fmtInt(result.perSecond)} req/s, p50 ${fmtMs(result.p50)}, non-2xx ${result.non2xx})`,
    ]);
  }
  const open = await runRate({
    ...loadOptions(ctx),
    rate: ctx.listRate,
    label: `list at a steady ${ctx.listRate} req/s (open loop)`,
    method: 'GET',
    next: () => ({ path: '/v1/notifications?limit=20', headers: userHeaders() }),
  });
  rows.push([`list p99 at a steady ${ctx.listRate} req/s`, fmtMs(open.p99), `(open loop, below saturation; p50 ${fmtMs(open.p50)}, non-2xx ${open.non2xx})`]);
  return rows;
}

export async function createScenario(ctx: Context): Promise<Row[]> {
  console.log(`\ncreate: POST /v1/notifications to one random user of ${fmtInt(USERS)}, body ~${createBody(1).length} bytes`);
  const startedAt = new Date();
  const headers = { authorization: `Bearer ${ctx.serviceToken}`, 'content-type': 'application/json' };
  const result = await runLoad({
    ...loadOptions(ctx),
    label: 'create',
    method: 'POST',
    next: () => ({ path: '/v1/notifications', headers, body: createBody(randomUser()) }),
  });
  const [spread] = await ctx.sql<{ rows: number; users: number }[]>`
    select count(*)::int as rows, count(distinct user_id)::int as users from notifications
    where broadcast_id in (select id from broadcasts where created_by = ${SERVICE} and created_at >= ${startedAt})`;
  console.log(`  rows written (warm-up + run): ${fmtInt(spread?.rows ?? 0)}, distinct users ${fmtInt(spread?.users ?? 0)} of ${fmtInt(USERS)}`);
  return [
    ['single-recipient creates/s', fmtInt(result.perSecond), `>= 1,500${verdict(result.perSecond >= 1_500)}`],
    ['create p50', fmtMs(result.p50), ''],
    ['create p99', fmtMs(result.p99), `(non-2xx ${result.non2xx}, errors ${result.errors})`],
  ];
}

async function countRows(sql: postgres.Sql, broadcastId: string, unpublishedOnly: boolean): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from notifications
    where broadcast_id = ${broadcastId} ${unpublishedOnly ? sql`and published_at is null` : sql``}`;
  return row?.count ?? 0;
}

/**
 * One request to all 100,000 recipients. Redis messages are counted by a pattern subscription on
 * the bench prefix, open before the request and kept 1 s after the answer.
 */
export async function broadcastScenario(ctx: Context): Promise<Row[]> {
  console.log(`\nbroadcast: POST /v1/notifications to role "${BROADCAST_ROLE}"`);
  const audience = await timed('prepare the broadcast audience', () => seedBroadcastAudience(ctx.sql));
  if (audience !== BROADCAST_RECIPIENTS) throw new Error(`expected ${BROADCAST_RECIPIENTS} recipients with the role, found ${audience}`);

  const subscriber = new Redis(ctx.redisUrl, { lazyConnect: true });
  await subscriber.connect();
  let messages = 0;
  const channels = new Set<string>();
  subscriber.on('pmessage', (_pattern: string, channel: string) => {
    messages += 1;
    channels.add(channel);
  });
  await subscriber.psubscribe(`${REDIS_PREFIX}*`);
  try {
    const stopCpu = startCpuSample(ctx.apis.map((api) => api.pid));
    const started = performance.now();
    const response = await fetch(`${ctx.api.url}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.serviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        to: { roles: [BROADCAST_ROLE] },
        type: 'announcement',
        title: 'All-hands moved to Thursday 15:00',
        body: 'The all-hands meeting moves to Thursday at 15:00 in the main hall; the stream link stays the same.',
        data: { event_id: 42 },
      }),
    });
    const answer = (await response.json()) as { broadcast_id?: string; recipient_count?: number };
    const seconds = (performance.now() - started) / 1000;
    const cpu: CpuGroups | undefined = stopCpu();
    if (!response.ok || answer.broadcast_id === undefined) throw new Error(`broadcast failed: ${response.status} ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rows = await countRows(ctx.sql, answer.broadcast_id, false);
    // How long until the API's batched `published_at` marks cover every row (off the request path).
    let marked = 'not within 30 s';
    for (let i = 0; i < 120; i++) {
      if ((await countRows(ctx.sql, answer.broadcast_id, true)) === 0) {
        marked = `${((performance.now() - started) / 1000).toFixed(1)} s after the request started`;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    console.log(
      `  ${response.status} in ${seconds.toFixed(2)} s, recipient_count ${fmtInt(answer.recipient_count ?? 0)}, rows ${fmtInt(rows)}, ` +
        `redis messages ${messages} on ${JSON.stringify([...channels])}; every row marked published ${marked}`,
    );
    console.log(`  during the request: ${formatCpu(cpu)}`);
    checkQuiet('broadcast', cpu);
    return [
      [
        `broadcast to ${fmtInt(rows)} recipients`,
        `${seconds.toFixed(2)} s`,
        `< 5 s${verdict(seconds < 5 && rows === BROADCAST_RECIPIENTS)}  (rows ${rows}, redis messages ${messages})`,
      ],
    ];
  } finally {
    subscriber.disconnect();
  }
}
