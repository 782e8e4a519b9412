import type postgres from 'postgres';
import { fmtInt, fmtMs, runLoad, runRate, type LoadResult } from './load.ts';
import { loadOptions, randomUser, verdict, type Context, type Row } from './scenarios.ts';
import { ROWS_PER_USER, checkpoint, timed, userId } from './setup.ts';

/** What a search's p99 should stay under, measured at a steady rate (a closed loop's p99 is its queue). */
const SEARCH_GOAL_MS = 50;
/** Rows added to the newest end of bench-user-1's inbox for the large-inbox runs. */
export const LARGE_INBOX_ROWS = 100_000;
/** Every this many of those rows is an invoice, the rare term there. */
const INVOICE_EVERY = 1_000;

/** Terms for the seeded 100-row inboxes. */
const seededTerms: [string, () => string][] = [
  // In every seeded body: the first 21 rows read newest first fill the page.
  ['a common term', () => 'thursday'],
  // In one title per inbox ("… planning 42""): the window of newest rows holds one match, the index finds the rest.
  ['a rare term', () => `planning ${1 + Math.floor(Math.random() * ROWS_PER_USER)}"`],
  ['a term in no inbox', () => 'invoice'],
];

/** Terms for the large inbox, each the hard case for one plan. */
const largeInboxTerms: [string, () => string][] = [
  ['a term in every row', () => 'pipeline'],
  [
    'an invoice number (one row in 1,000 is an invoice)',
    () => `invoice ${INVOICE_EVERY * (1 + Math.floor(Math.random() * (LARGE_INBOX_ROWS / INVOICE_EVERY)))}`,
  ],
  // In every other inbox (so the table's statistics call it common) and only in this one's 100 oldest rows.
  ['a term only in its oldest rows', () => 'quarterly planning'],
];

const searchPath = (term: string) => `/v1/notifications?limit=20&q=${encodeURIComponent(term)}`;

/**
 * bench-user-1 gets LARGE_INBOX_ROWS more notifications (seq 101 on), newer than its seeded 100:
 * build reports, with an invoice every INVOICE_EVERY rows.
 */
async function seedLargeInbox(sql: postgres.Sql): Promise<void> {
  const user = userId(1);
  await sql`
    insert into notifications (user_id, seq, type, title, body, is_read, created_at, published_at)
    select ${user}, ${ROWS_PER_USER} + s, 'build',
           case when s % ${INVOICE_EVERY} = 0 then 'Invoice ' || s || ' is due' else 'Build ' || s || ' finished' end,
           'The pipeline ran every check on the main branch.',
           false, now() - (${LARGE_INBOX_ROWS} - s) * interval '1 second', now()
    from generate_series(1, ${LARGE_INBOX_ROWS}) s`;
  await sql`update recipients set last_seq = ${ROWS_PER_USER + LARGE_INBOX_ROWS} where id = ${user}`;
  await sql`vacuum (analyze) notifications`;
  await checkpoint(sql);
}

function closedLoopRow(label: string, result: LoadResult): Row {
  return [label, fmtMs(result.p99), `(closed loop: ${fmtInt(result.perSecond)} req/s, p50 ${fmtMs(result.p50)}, non-2xx ${result.non2xx})`];
}

function steadyRow(label: string, result: LoadResult, rate: number): Row {
  return [
    label,
    fmtMs(result.p99),
    `< ${SEARCH_GOAL_MS} ms${verdict(result.p99 < SEARCH_GOAL_MS)}  (${rate} req/s offered, p50 ${fmtMs(result.p50)}, non-2xx ${result.non2xx})`,
  ];
}

/**
 * Inbox search (`q`): closed-loop runs per kind of term over the 10,000 seeded inboxes, a steady-rate
 * run mixing them (the latency figure), then steady-rate runs on one large inbox.
 */
export async function searchScenario(ctx: Context): Promise<Row[]> {
  console.log('\nsearch: GET /v1/notifications?limit=20&q=…, a random user (own token) per request');
  const userHeaders = () => ({ authorization: `Bearer ${ctx.userTokens[randomUser() - 1]!}` });
  const rows: Row[] = [];
  for (const [label, term] of seededTerms) {
    const result = await runLoad({
      ...loadOptions(ctx),
      label: `search, ${label}`,
      method: 'GET',
      next: () => ({ path: searchPath(term()), headers: userHeaders() }),
    });
    rows.push(closedLoopRow(`search p99, ${label}`, result));
  }
  const mixed = await runRate({
    ...loadOptions(ctx),
    rate: ctx.listRate,
    label: `search, the three terms mixed, at a steady ${ctx.listRate} req/s (open loop)`,
    method: 'GET',
    next: () => ({ path: searchPath(seededTerms[Math.floor(Math.random() * seededTerms.length)]![1]()), headers: userHeaders() }),
  });
  rows.push(steadyRow(`search p99 at a steady ${ctx.listRate} req/s`, mixed, ctx.listRate));

  await timed(`add ${fmtInt(LARGE_INBOX_ROWS)} rows to ${userId(1)}'s inbox + vacuum analyze`, () => seedLargeInbox(ctx.sql));
  const largeHeaders = { authorization: `Bearer ${ctx.userTokens[0]!}` };
  const inbox = `${fmtInt(LARGE_INBOX_ROWS + ROWS_PER_USER)}-row inbox`;
  for (const [label, term] of largeInboxTerms) {
    // One request at a time: each figure is the latency of one search, with no queue in it (and a
    // slow term cannot leave a backlog that the next runs would pay for).
    const result = await runLoad({
      ...loadOptions(ctx),
      connections: 1,
      label: `search one ${inbox}, ${label}, one request at a time`,
      method: 'GET',
      next: () => ({ path: searchPath(term()), headers: largeHeaders }),
    });
    rows.push([
      `search p99, ${inbox}, ${label}`,
      fmtMs(result.p99),
      `< ${SEARCH_GOAL_MS} ms${verdict(result.p99 < SEARCH_GOAL_MS)}  (1 connection: ${fmtInt(result.perSecond)} req/s, p50 ${fmtMs(result.p50)})`,
    ]);
  }
  return rows;
}
