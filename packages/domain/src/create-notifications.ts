import { createHash, randomUUID } from 'node:crypto';
import type { Queryable, Sql } from '@tidings/db';
import {
  typeDefaults,
  type BusEvent,
  type CreateNotificationInput,
  type CreateNotificationResult,
  type Target,
  type WireNotification,
} from '@tidings/protocol';
import { AppError } from '@tidings/server-kit';
import type { EventPublisher } from './event-publisher.ts';
import { provisionalSubject, type EmailRecipient } from './email.ts';
import { resolveChannels, storedPreferences, type TypeSettings } from './preferences.ts';
import { withRetry } from './retry.ts';

/** `notification_ids` is answered only up to this many recipients. */
export const NOTIFICATION_IDS_LIMIT = 1_000;

export interface CreateRequest {
  createdBy: string;
  input: CreateNotificationInput;
  idempotencyKey?: string;
}

export interface CreateOutcome {
  result: CreateNotificationResult;
  /** True when an earlier request with the same Idempotency-Key answered this. */
  replayed: boolean;
}

export interface CreateDeps {
  sql: Sql;
  publisher: EventPublisher;
  /** More recipients than this go out as one broadcast event instead of one event per user. */
  broadcastThreshold: number;
  onCreated?: (type: string, count: number) => void;
  /**
   * Told after a scheduled send commits, to arrange its release at `sendAt`. A failure is logged by
   * the caller: the worker's periodic sweep releases overdue sends anyway.
   */
  onScheduled?: (broadcastId: string, sendAt: Date) => Promise<void>;
  /**
   * Told after a send with emails commits, to hand its queued emails to the queue. A failure is
   * logged by the caller: the worker's email relay enqueues them after a grace period anyway.
   */
  onEmails?: (broadcastId: string) => Promise<void>;
}

export interface CreatedRow {
  id: string;
  user_id: string;
  seq: string | null;
}

export type NotificationTemplate = Omit<WireNotification, 'id' | 'seq'>;

/**
 * Publishes freshly sequenced rows of one send: one event per user up to the threshold, else one
 * broadcast event that each gateway resolves against its own users.
 */
export async function publishCreated(
  deps: Pick<CreateDeps, 'publisher' | 'broadcastThreshold' | 'onCreated'>,
  rows: readonly CreatedRow[],
  template: NotificationTemplate,
  broadcastId: string,
): Promise<void> {
  if (rows.length === 0) return;
  deps.onCreated?.(template.type, rows.length);
  if (rows.length > deps.broadcastThreshold) {
    const event: BusEvent = { kind: 'broadcast', broadcast_id: broadcastId, recipient_count: rows.length, notification: template };
    await deps.publisher.publishNotifications([event], { broadcastId });
    return;
  }
  const events: BusEvent[] = rows.map((row) => ({
    kind: 'notification',
    user_id: row.user_id,
    notification: { id: row.id, seq: Number(row.seq), ...template },
  }));
  await deps.publisher.publishNotifications(events, { ids: rows.map((row) => row.id) });
}

/**
 * JSON goes to Postgres as text cast to jsonb and comes back as text: drizzle replaces postgres.js's
 * json serialisers on the shared client, so raw queries state the conversion themselves.
 */
const json = (value: unknown) => JSON.stringify(value);

/** Who gets what: the users who get an inbox row, and those who get an email now. */
export interface Resolved {
  inApp: string[];
  emails: EmailRecipient[];
}

interface RecipientRow {
  id: string;
  email: string | null;
  email_unsubscribed_at: Date | null;
  in_app_enabled: boolean | null;
  email_enabled: boolean | null;
  digest: 'off' | 'daily' | 'weekly' | null;
  /** jsonb as text, see `json`. */
  types: string | null;
}

/** A request sent with `"dry_run": false` is the same request as one without it. */
function requestHash(createdBy: string, input: CreateNotificationInput): string {
  const { dry_run: _dryRun, ...send } = input;
  return createHash('sha256').update(JSON.stringify([createdBy, send])).digest('hex');
}

function dedupe(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

export async function typeSettings(sql: Queryable, key: string): Promise<TypeSettings> {
  const [row] = await sql<TypeSettings[]>`
    select key, default_in_app, default_email, critical from notification_types where key = ${key}`;
  return row ?? { key, ...typeDefaults };
}

/**
 * Resolves a target to recipients with their preferences, in recipient order: the order given for
 * user ids, the database's id order for roles and `all`. Unknown user ids become recipients, unless
 * `provision` is false (a dry run), when they only come back as the new recipients they would be.
 */
export async function recipientsOf(sql: Queryable, target: Target, { provision = true } = {}): Promise<RecipientRow[]> {
  const columns = sql`r.id, r.email, r.email_unsubscribed_at, p.in_app_enabled, p.email_enabled, p.digest, p.types::text as types`;
  if (target.user_ids) {
    const ids = dedupe(target.user_ids);
    // One round trip: ids without a recipient are inserted by the CTE (invisible to this statement's
    // join, which is why they come back with empty columns: a new recipient has no email and no
    // preferences yet). They are inserted in id order, like every lock on recipients, so two sends
    // creating the same new recipients cannot deadlock.
    const created = provision
      ? sql`with created as (insert into recipients (id) select id from unnest(${ids}::text[]) as n(id) order by id on conflict do nothing)`
      : sql``;
    return sql<RecipientRow[]>`
      ${created}
      select u.id, r.email, r.email_unsubscribed_at, p.in_app_enabled, p.email_enabled, p.digest, p.types::text as types
      from unnest(${ids}::text[]) with ordinality as u(id, ord)
      left join recipients r on r.id = u.id
      left join notification_preferences p on p.user_id = u.id
      order by u.ord`;
  }
  const where = target.roles ? sql`where r.roles && ${target.roles}::text[]` : sql``;
  return sql<RecipientRow[]>`
    select ${columns} from recipients r left join notification_preferences p on p.user_id = r.id
    ${where} order by r.id`;
}

/**
 * Applies each recipient's preferences. An email goes out now when allowed and the user is not on
 * a digest; critical ones go out now regardless of the digest (the digest leaves them out).
 */
export function applyPreferences(rows: readonly RecipientRow[], type: TypeSettings, critical: boolean): Resolved {
  const resolved: Resolved = { inApp: [], emails: [] };
  for (const row of rows) {
    const decision = resolveChannels(storedPreferences(row), type, critical, {
      hasEmail: row.email !== null,
      unsubscribed: row.email_unsubscribed_at !== null,
    });
    if (decision.inApp) resolved.inApp.push(row.id);
    if (decision.email && row.email !== null && (critical || (row.digest ?? 'off') === 'off')) {
      resolved.emails.push({ userId: row.id, address: row.email });
    }
  }
  return resolved;
}

/**
 * The `email_logs` rows of a send, as a statement to run inside the one that writes the send (a CTE
 * that can see `b`, the send, and `n`, its inbox rows): queued, one per recipient, linked to the
 * recipient's notification when there is one.
 */
export function emailLogsInsert(sql: Queryable, type: string, title: string, queuedAt: string, emails: readonly EmailRecipient[]) {
  return sql`
    insert into email_logs (user_id, notification_id, broadcast_id, kind, dedupe_key, "to", subject, template, status, queued_at)
    select m.id, n.id, b.id, 'notification', 'n:' || b.id || ':' || m.id, m.address, ${provisionalSubject(title)}, ${type}, 'queued', ${queuedAt}::timestamptz
    from unnest(${emails.map((e) => e.userId)}::text[], ${emails.map((e) => e.address)}::text[]) as m(id, address)
    cross join b left join n on n.user_id = m.id
    on conflict (dedupe_key) do nothing`;
}

interface StoredBroadcast {
  id: string;
  created_by: string;
  request_hash: string | null;
  recipient_count: number;
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled';
  /** jsonb as text, see `json`. */
  target: string;
}

/** The answer a stored request gave, rebuilt from the database for a replay. */
async function storedAnswer(sql: Sql, broadcast: StoredBroadcast): Promise<CreateNotificationResult> {
  const result: CreateNotificationResult = {
    broadcast_id: broadcast.id,
    recipient_count: broadcast.recipient_count,
    status: broadcast.status === 'scheduled' ? 'scheduled' : 'sent',
  };
  if (broadcast.recipient_count <= NOTIFICATION_IDS_LIMIT) {
    const rows = await sql<{ id: string; user_id: string }[]>`
      select id, user_id from notifications where broadcast_id = ${broadcast.id} order by user_id`;
    const byUser = new Map(rows.map((row) => [row.user_id, row.id]));
    const target = JSON.parse(broadcast.target) as Target;
    const order = target.user_ids ? dedupe(target.user_ids) : rows.map((row) => row.user_id);
    result.notification_ids = order.flatMap((userId) => {
      const id = byUser.get(userId);
      return id === undefined ? [] : [id];
    });
  }
  return result;
}

async function replay(sql: Sql, key: string, hash: string): Promise<CreateOutcome | undefined> {
  const [stored] = await sql<StoredBroadcast[]>`
    select id, created_by, request_hash, recipient_count, status, target::text as target from broadcasts where idempotency_key = ${key}`;
  if (!stored) return undefined;
  if (stored.request_hash !== hash) {
    throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used for a different request', [
      { path: 'Idempotency-Key', message: 'already used with another body' },
    ]);
  }
  return { result: await storedAnswer(sql, stored), replayed: true };
}

/** The recipients of a create request and their channels, by the preferences of now. */
async function resolveRequest(sql: Sql, input: CreateNotificationInput, provision: boolean): Promise<Resolved> {
  const [type, rows] = await Promise.all([typeSettings(sql, input.type), withRetry(() => recipientsOf(sql, input.to, { provision }))]);
  return applyPreferences(rows, type, type.critical || input.priority === 'critical');
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
  // A scheduled send decides its emails at release, with the preferences of that moment.
  const userIds = resolved.inApp;
  const emails = scheduled ? [] : resolved.emails;
  const broadcastId = randomUUID();
  const createdAt = new Date().toISOString();
  const sendAtText = sendAt?.toISOString() ?? null;
  const payload = { data: input.data, icon: input.icon, action_url: input.action_url, priority: input.priority };

  // One statement, so one round trip and its own transaction: the send's row, then the rows of its
  // recipients. A concurrent request with the same Idempotency-Key makes the first insert do nothing
  // (after waiting for that request's commit), and then nothing else is written either.
  const broadcastRow = sql`
    insert into broadcasts (id, created_by, target, type, title, body, payload, recipient_count, send_at, status, idempotency_key, request_hash, created_at)
    values (${broadcastId}, ${createdBy}, ${json(input.to)}::jsonb, ${input.type}, ${input.title}, ${input.body}, ${json(payload)}::jsonb,
            ${userIds.length}, ${sendAtText}::timestamptz, ${scheduled ? 'scheduled' : 'sent'}, ${idempotencyKey ?? null}, ${hash}, ${createdAt}::timestamptz)
    on conflict (idempotency_key) where idempotency_key is not null do nothing
    returning id`;
  const common = sql`${input.type}, ${input.title}, ${input.body}, ${json(input.data)}::jsonb, ${input.icon}, ${input.action_url},
    ${input.priority}, b.id, ${idempotencyKey ?? null}, ${createdAt}::timestamptz`;
  const created = await withRetry(async (): Promise<CreatedRow[] | undefined> => {
    const rows = scheduled
      ? await sql<(CreatedRow & { broadcast: string | null })[]>`
          with b as (${broadcastRow}),
          n as (
            insert into notifications (user_id, seq, send_at, type, title, body, data, icon, action_url, priority, broadcast_id, idempotency_key, created_at)
            select u.id, null, ${sendAtText}::timestamptz, ${common} from unnest(${userIds}::text[]) as u(id), b
            returning id, user_id, seq
          )
          select (select id from b) as broadcast, n.id, n.user_id, n.seq from (select 1) as one left join n on true`
      : await sql<(CreatedRow & { broadcast: string | null })[]>`
          with b as (${broadcastRow}),
          locked as materialized (
            select r.id from recipients r where r.id = any(${userIds}::text[]) and exists (select 1 from b) order by r.id for update
          ), bumped as (
            update recipients r set last_seq = r.last_seq + 1, updated_at = now() from locked where r.id = locked.id
            returning r.id, r.last_seq
          ), n as (
            insert into notifications (user_id, seq, type, title, body, data, icon, action_url, priority, broadcast_id, idempotency_key, created_at)
            select bumped.id, bumped.last_seq, ${common} from bumped, b
            returning id, user_id, seq
          )${emails.length === 0 ? sql`` : sql`, e as (${emailLogsInsert(sql, input.type, input.title, createdAt, emails)})`}
          select (select id from b) as broadcast, n.id, n.user_id, n.seq from (select 1) as one left join n on true`;
    if (rows[0]?.broadcast === null) return undefined;
    return rows.filter((row) => row.id !== null).map(({ id, user_id, seq }) => ({ id, user_id, seq }));
  });

  if (created === undefined) {
    const earlier = await replay(sql, idempotencyKey!, hash);
    if (!earlier) throw new AppError('conflict', 'a concurrent request with this Idempotency-Key failed; send again');
    return earlier;
  }
  if (created.length !== userIds.length) {
    // A recipient was deleted between resolution and insert: keep the stored count honest.
    await sql`update broadcasts set recipient_count = ${created.length} where id = ${broadcastId}`;
  }

  const result: CreateNotificationResult = {
    broadcast_id: broadcastId,
    recipient_count: created.length,
    status: scheduled ? 'scheduled' : 'sent',
  };
  if (created.length <= NOTIFICATION_IDS_LIMIT) {
    const byUser = new Map(created.map((row) => [row.user_id, row.id]));
    result.notification_ids = userIds.flatMap((userId) => {
      const id = byUser.get(userId);
      return id === undefined ? [] : [id];
    });
  }
  if (scheduled) {
    await deps.onScheduled?.(broadcastId, sendAt!);
  } else {
    const template = {
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
    await publishCreated(deps, created, template, broadcastId);
    if (emails.length > 0) await deps.onEmails?.(broadcastId);
  }
  return { result, replayed: false };
}

