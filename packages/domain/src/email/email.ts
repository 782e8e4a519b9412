import type { Queryable, Sql } from '@tidings/db';
import type { EmailContent } from '@tidings/email';

/**
 * Email bookkeeping in Postgres. An email is decided in the same transaction as the notification it
 * carries (an `email_logs` row in `queued`), handed to the queue after commit (`enqueued_at`), and
 * moved by the worker to `sent`, `failed`, `suppressed` or (from the provider's webhook) `bounced`.
 */

/** Who gets an email for a send: recipients whose preferences allow it, not on a digest (unless critical). */
export interface EmailRecipient {
  userId: string;
  address: string;
}

/** Subject stored until the worker renders the real one (which also strips CR/LF). */
export const provisionalSubject = (title: string) => title.slice(0, 200);

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

/** Queued emails of a send that were not handed to the queue yet. */
export async function pendingEmails(sql: Sql, broadcastId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from email_logs where broadcast_id = ${broadcastId} and status = 'queued' and enqueued_at is null`;
  return rows.map((row) => row.id);
}

/** Queued emails older than the grace period that never reached the queue (the API died after commit, Redis was away). */
export async function unenqueuedEmails(sql: Sql, graceMs: number, limit = 1_000): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from email_logs
    where status = 'queued' and enqueued_at is null and queued_at < now() - make_interval(secs => ${graceMs / 1000})
    order by queued_at limit ${limit}`;
  return rows.map((row) => row.id);
}

/**
 * Queued emails handed to the queue before `enqueuedBefore`: normally still waiting or retrying,
 * but their job may be gone (Redis restarted without persistence) or failed without its log being
 * updated (Postgres was down). The relay checks each against the queue.
 */
export async function staleEmails(sql: Sql, enqueuedBefore: Date, limit = 200): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from email_logs
    where status = 'queued' and enqueued_at < ${enqueuedBefore.toISOString()}::timestamptz
    order by enqueued_at limit ${limit}`;
  return rows.map((row) => row.id);
}

export async function markEnqueued(sql: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update email_logs set enqueued_at = now() where id = any(${ids as string[]}::uuid[]) and status = 'queued'`;
}

/** Everything the worker needs to send one email, read in one query: its content and its delivery state. */
export interface EmailToSend extends EmailContent {
  id: string;
  kind: 'notification' | 'digest';
  status: 'queued' | 'sent' | 'failed' | 'bounced' | 'suppressed';
  to: string;
  /** Why it must not be sent now: the address is suppressed, or the user unsubscribed from all email since it was queued. */
  blockedBy: 'suppressed' | 'unsubscribed' | null;
}

interface EmailRow {
  id: string;
  kind: 'notification' | 'digest';
  status: EmailToSend['status'];
  user_id: string;
  to: string;
  name: string | null;
  suppressed: boolean;
  unsubscribed: boolean;
  type: string | null;
  title: string | null;
  body: string | null;
  payload: string | null;
  template: string | null;
  digest_period: 'daily' | 'weekly' | null;
  digest_since: string | null;
  digest_until: string | null;
}

export async function loadEmail(sql: Sql, id: string): Promise<EmailToSend | undefined> {
  const [row] = await sql<EmailRow[]>`
    select l.id, l.kind, l.status, l.user_id, l."to", r.name,
           exists (select 1 from email_suppressions s where s.address = lower(l."to")) as suppressed,
           (r.email_unsubscribed_at is not null) as unsubscribed,
           b.type, b.title, b.body, b.payload::text as payload, t.template,
           l.digest_period, l.digest_since::text as digest_since, l.digest_until::text as digest_until
    from email_logs l
    join recipients r on r.id = l.user_id
    left join broadcasts b on b.id = l.broadcast_id
    left join notification_types t on t.key = b.type
    where l.id = ${id}`;
  if (!row) return undefined;
  const email: EmailToSend = {
    id: row.id,
    kind: row.kind,
    status: row.status,
    userId: row.user_id,
    to: row.to,
    recipientName: row.name,
    blockedBy: row.suppressed ? 'suppressed' : row.unsubscribed ? 'unsubscribed' : null,
  };
  if (row.kind === 'notification' && row.type !== null) {
    const payload = JSON.parse(row.payload ?? '{}') as { data?: Record<string, unknown>; action_url?: string | null };
    email.notification = {
      type: row.type,
      title: row.title ?? '',
      body: row.body ?? '',
      actionUrl: payload.action_url ?? null,
      data: payload.data ?? {},
      template: row.template,
    };
  }
  if (row.kind === 'digest' && row.digest_period !== null && row.digest_since !== null && row.digest_until !== null) {
    email.digest = { period: row.digest_period, since: new Date(row.digest_since), until: new Date(row.digest_until) };
  }
  return email;
}

/** Counts an attempt before the SMTP conversation; answers false when the email is no longer queued. */
export async function startAttempt(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`update email_logs set attempts = attempts + 1 where id = ${id} and status = 'queued' returning id`;
  return rows.length > 0;
}

export async function markSent(sql: Sql, id: string, sent: { messageId: string; subject: string; template: string }): Promise<void> {
  await sql`
    update email_logs set status = 'sent', provider_message_id = ${sent.messageId}, subject = ${sent.subject},
      template = ${sent.template}, error = null, sent_at = now()
    where id = ${id} and status = 'queued'`;
}

/** Records a temporary failure; the email stays queued for the next try. */
export async function markRetrying(sql: Sql, id: string, error: string): Promise<void> {
  await sql`update email_logs set error = ${error} where id = ${id} and status = 'queued'`;
}

export async function markFinal(
  sql: Sql,
  id: string,
  status: 'failed' | 'suppressed',
  error: string,
  rendered?: { subject: string; template: string },
): Promise<void> {
  await sql`
    update email_logs set status = ${status}, error = ${error},
      subject = coalesce(${rendered?.subject ?? null}, subject), template = coalesce(${rendered?.template ?? null}, template)
    where id = ${id} and status = 'queued'`;
}

/**
 * Unsubscribes a user from one type's emails or from all email. All sets `email_unsubscribed_at`
 * and turns `email_enabled` off, so the preferences document tells the same story. Answers false
 * when there is no such recipient (any more).
 */
export async function unsubscribeEmail(sql: Sql, userId: string, type?: string): Promise<boolean> {
  if (type === undefined) {
    const rows = await sql`
      with r as (update recipients set email_unsubscribed_at = coalesce(email_unsubscribed_at, now()), updated_at = now() where id = ${userId} returning id)
      insert into notification_preferences (user_id, email_enabled) select id, false from r
      on conflict (user_id) do update set email_enabled = false, updated_at = now()
      returning user_id`;
    return rows.length > 0;
  }
  const override = JSON.stringify({ [type]: { email: false } });
  const rows = await sql`
    insert into notification_preferences (user_id, types) select id, ${override}::jsonb from recipients where id = ${userId}
    on conflict (user_id) do update set
      types = notification_preferences.types || jsonb_build_object(${type}::text, coalesce(notification_preferences.types -> ${type}::text, '{}'::jsonb) || '{"email": false}'::jsonb),
      updated_at = now()
    returning user_id`;
  return rows.length > 0;
}

export interface EmailEvent {
  type: 'bounced' | 'complained';
  email: string;
  /** The Message-ID the email went out with (`email_logs.provider_message_id`). */
  messageId?: string | undefined;
  reason?: string | undefined;
}

/**
 * A provider's report: the address is suppressed (no more email to it) and the email it concerns,
 * when named, is marked: `bounced`, or for a complaint its error says so. Answers how many logs matched.
 */
export async function recordEmailEvents(sql: Sql, events: readonly EmailEvent[]): Promise<number> {
  let matched = 0;
  await sql.begin(async (tx) => {
    for (const event of events) {
      const detail = event.reason ?? null;
      await tx`
        insert into email_suppressions (address, reason, detail) values (${event.email.toLowerCase()}, ${event.type}, ${detail})
        on conflict (address) do update set reason = excluded.reason, detail = coalesce(excluded.detail, email_suppressions.detail)`;
      if (event.messageId === undefined) continue;
      const error = `${event.type}${detail === null ? '' : `: ${detail}`}`;
      const rows =
        event.type === 'bounced'
          ? await tx`update email_logs set status = 'bounced', error = ${error} where provider_message_id = ${event.messageId} returning id`
          : await tx`update email_logs set error = ${error} where provider_message_id = ${event.messageId} returning id`;
      matched += rows.length;
    }
  });
  return matched;
}
