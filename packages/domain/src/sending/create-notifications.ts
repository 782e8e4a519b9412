import { randomUUID } from 'node:crypto';
import type { Sql } from '@tidings/db';
import type { CreateNotificationInput, CreateNotificationResult } from '@tidings/protocol';
import { AppError } from '@tidings/server-kit';
import { emailLogsInsert, type EmailRecipient } from '../email/email.ts';
import { enqueueSendEmails } from '../email/outbox.ts';
import { withRetry } from '../retry.ts';
import { idsInOrder, NOTIFICATION_IDS_LIMIT } from './answer.ts';
import type { CreateDeps, CreateOutcome, CreateRequest } from './create-contract.ts';
import { replay, requestHash } from './idempotency.ts';
import { publishCreated, type CreatedRow, type NotificationTemplate } from './publish-created.ts';
import { resolveRequest } from './recipients.ts';

/**
 * JSON goes to Postgres as text cast to jsonb and comes back as text: drizzle replaces postgres.js's
 * json serialisers on the shared client, so raw queries state the conversion themselves.
 */
const json = (value: unknown) => JSON.stringify(value);

/** One send as `insertSend` writes it: the request, resolved, with the send's id and times. */
interface Send {
  id: string;
  createdBy: string;
  input: CreateNotificationInput;
  idempotencyKey: string | undefined;
  hash: string;
  userIds: string[];
  emails: EmailRecipient[];
  scheduled: boolean;
  sendAt: string | null;
  createdAt: string;
}

/**
 * A dry run of `createNotifications`: how many recipients the request would reach now (the
 * `recipient_count` a send would answer, a scheduled one included), resolved the same way and
 * writing nothing: no recipient, send, row, email, event or idempotency record.
 */
export async function countRecipients(sql: Sql, input: CreateNotificationInput): Promise<number> {
  return (await resolveRequest(sql, input, false)).inApp.length;
}

/**
 * Creates one notification per resolved recipient in one transaction. Each recipient's row is
 * locked (in id order, so concurrent broadcasts cannot deadlock) and its `last_seq` bumped, so a
 * user's seqs have no holes and commit in order. A scheduled request stores held rows without a
 * seq; they get theirs when released.
 */
export async function createNotifications(deps: CreateDeps, request: CreateRequest): Promise<CreateOutcome> {
  const { sql } = deps;
  const { input, idempotencyKey, createdBy } = request;
  const hash = requestHash(createdBy, input);
  if (idempotencyKey !== undefined) {
    const earlier = await replay(sql, idempotencyKey, hash);
    if (earlier) return earlier;
  }

  const resolved = await resolveRequest(sql, input, true);
  const sendAt = input.send_at === null ? null : new Date(input.send_at);
  const scheduled = sendAt !== null && sendAt.getTime() > Date.now();
  const send: Send = {
    id: randomUUID(),
    createdBy,
    input,
    idempotencyKey,
    hash,
    userIds: resolved.inApp,
    // A scheduled send decides its emails at release, with the preferences of that moment.
    emails: scheduled ? [] : resolved.emails,
    scheduled,
    sendAt: sendAt?.toISOString() ?? null,
    createdAt: new Date().toISOString(),
  };
  const created = await withRetry(() => insertSend(sql, send));

  if (created === undefined) {
    const earlier = await replay(sql, idempotencyKey!, hash);
    if (!earlier) throw new AppError('conflict', 'a concurrent request with this Idempotency-Key failed; send again');
    return earlier;
  }
  if (created.length !== send.userIds.length) {
    // A recipient was deleted between resolution and insert: keep the stored count honest.
    await sql`update broadcasts set recipient_count = ${created.length} where id = ${send.id}`;
  }

  const result: CreateNotificationResult = {
    broadcast_id: send.id,
    recipient_count: created.length,
    status: scheduled ? 'scheduled' : 'sent',
  };
  if (created.length <= NOTIFICATION_IDS_LIMIT) result.notification_ids = idsInOrder(send.userIds, created);
  if (scheduled) {
    await deps.onScheduled?.(send.id, sendAt);
  } else {
    await publishCreated(deps, created, templateOf(input, send.createdAt), send.id);
    if (send.emails.length > 0) await enqueueSendEmails(deps, send.id);
  }
  return { result, replayed: false };
}

/**
 * Writes a send in one statement, so one round trip and its own transaction: the send's row, then
 * the rows of its recipients (held ones without a seq when it is scheduled), then its emails.
 * Answers the rows, or undefined when a concurrent request with the same Idempotency-Key made the
 * first insert do nothing (after waiting for that request's commit), and then nothing else is
 * written either.
 */
async function insertSend(sql: Sql, send: Send): Promise<CreatedRow[] | undefined> {
  const { input } = send;
  const payload = { data: input.data, icon: input.icon, action_url: input.action_url, priority: input.priority };
  const broadcastRow = sql`
    insert into broadcasts (id, created_by, target, type, title, body, payload, recipient_count, send_at, status, idempotency_key, request_hash, created_at)
    values (${send.id}, ${send.createdBy}, ${json(input.to)}::jsonb, ${input.type}, ${input.title}, ${input.body}, ${json(payload)}::jsonb,
            ${send.userIds.length}, ${send.sendAt}::timestamptz, ${send.scheduled ? 'scheduled' : 'sent'}, ${send.idempotencyKey ?? null}, ${send.hash}, ${send.createdAt}::timestamptz)
    on conflict (idempotency_key) where idempotency_key is not null do nothing
    returning id`;
  const common = sql`${input.type}, ${input.title}, ${input.body}, ${json(input.data)}::jsonb, ${input.icon}, ${input.action_url},
    ${input.priority}, b.id, ${send.idempotencyKey ?? null}, ${send.createdAt}::timestamptz`;
  const rows = send.scheduled
    ? await sql<(CreatedRow & { broadcast: string | null })[]>`
        with b as (${broadcastRow}),
        n as (
          insert into notifications (user_id, seq, send_at, type, title, body, data, icon, action_url, priority, broadcast_id, idempotency_key, created_at)
          select u.id, null, ${send.sendAt}::timestamptz, ${common} from unnest(${send.userIds}::text[]) as u(id), b
          returning id, user_id, seq
        )
        select (select id from b) as broadcast, n.id, n.user_id, n.seq from (select 1) as one left join n on true`
    : await sql<(CreatedRow & { broadcast: string | null })[]>`
        with b as (${broadcastRow}),
        locked as materialized (
          select r.id from recipients r where r.id = any(${send.userIds}::text[]) and exists (select 1 from b) order by r.id for update
        ), bumped as (
          update recipients r set last_seq = r.last_seq + 1, updated_at = now() from locked where r.id = locked.id
          returning r.id, r.last_seq
        ), n as (
          insert into notifications (user_id, seq, type, title, body, data, icon, action_url, priority, broadcast_id, idempotency_key, created_at)
          select bumped.id, bumped.last_seq, ${common} from bumped, b
          returning id, user_id, seq
        )${send.emails.length === 0 ? sql`` : sql`, e as (${emailLogsInsert(sql, input.type, input.title, send.createdAt, send.emails)})`}
        select (select id from b) as broadcast, n.id, n.user_id, n.seq from (select 1) as one left join n on true`;
  if (rows[0]?.broadcast === null) return undefined;
  return rows.filter((row) => row.id !== null).map(({ id, user_id, seq }) => ({ id, user_id, seq }));
}

/** What every recipient's notification of a send has in common, as it goes out at `createdAt`. */
function templateOf(input: CreateNotificationInput, createdAt: string): NotificationTemplate {
  return {
    type: input.type,
    title: input.title,
    body: input.body,
    data: input.data,
    icon: input.icon,
    action_url: input.action_url,
    priority: input.priority,
    created_at: createdAt,
    is_read: false,
  };
}
