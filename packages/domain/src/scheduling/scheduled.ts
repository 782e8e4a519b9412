import type { Sql } from '@tidings/db';
import type { Target } from '@tidings/protocol';
import { emailLogsInsert } from '../email/email.ts';
import { enqueueSendEmails } from '../email/outbox.ts';
import { visibleNotificationSql } from '../inbox/visible.ts';
import { withRetry } from '../retry.ts';
import type { CreateDeps } from '../sending/create-contract.ts';
import { publishCreated, type CreatedRow, type NotificationTemplate } from '../sending/publish-created.ts';
import { applyPreferences, recipientsOf, typeSettings } from '../sending/recipients.ts';

/**
 * Releases a scheduled send whose time has come: each held row gets its recipient's next seq
 * (same lock order as a create, so the two never deadlock) and today's `created_at`, then it is
 * published like a fresh send; its emails are decided now, with the preferences of this moment.
 * Answers how many rows were released, or undefined when the send is not (or no longer) a due
 * scheduled one — cancelled, already released, or not yet due.
 */
export async function releaseScheduled(deps: CreateDeps, broadcastId: string): Promise<number | undefined> {
  const releasedAt = new Date().toISOString();
  const outcome = await withRetry(() =>
    deps.sql.begin(async (tx) => {
      const [broadcast] = await tx<{ type: string; title: string; body: string; payload: string; target: string }[]>`
        update broadcasts set status = 'sent', updated_at = now()
        where id = ${broadcastId} and status = 'scheduled' and send_at <= now()
        returning type, title, body, payload::text as payload, target::text as target`;
      if (!broadcast) return undefined;
      const rows = await tx<CreatedRow[]>`
        with held as (
          select user_id from notifications where broadcast_id = ${broadcastId} and seq is null and deleted_at is null
        ), locked as materialized (
          select id from recipients where id in (select user_id from held) order by id for update
        ), bumped as (
          update recipients r set last_seq = r.last_seq + 1, updated_at = now() from locked where r.id = locked.id
          returning r.id, r.last_seq
        )
        update notifications n set seq = bumped.last_seq, created_at = ${releasedAt}::timestamptz
        from bumped
        where n.broadcast_id = ${broadcastId} and n.user_id = bumped.id and n.seq is null and n.deleted_at is null
        returning n.id, n.user_id, n.seq`;
      await tx`update broadcasts set recipient_count = ${rows.length} where id = ${broadcastId}`;
      const payload = JSON.parse(broadcast.payload) as Pick<NotificationTemplate, 'data' | 'icon' | 'action_url' | 'priority'>;
      const type = await typeSettings(tx, broadcast.type);
      const { emails } = applyPreferences(
        await recipientsOf(tx, JSON.parse(broadcast.target) as Target),
        type,
        type.critical || payload.priority === 'critical',
      );
      if (emails.length > 0) {
        await tx`
          with b as (select id from broadcasts where id = ${broadcastId}),
          n as (select id, user_id from notifications where broadcast_id = ${broadcastId} and ${visibleNotificationSql(tx)})
          ${emailLogsInsert(tx, broadcast.type, broadcast.title, releasedAt, emails)}`;
      }
      return { broadcast, payload, rows, emails: emails.length };
    }),
  );
  if (!outcome) return undefined;
  const { payload } = outcome;
  const template: NotificationTemplate = {
    type: outcome.broadcast.type,
    title: outcome.broadcast.title,
    body: outcome.broadcast.body,
    ...payload,
    created_at: releasedAt,
    is_read: false,
  };
  await publishCreated(deps, outcome.rows, template, broadcastId);
  if (outcome.emails > 0) await enqueueSendEmails(deps, broadcastId);
  return outcome.rows.length;
}

/** Scheduled sends whose time has passed, oldest first. */
export async function dueScheduled(sql: Sql, limit = 100): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from broadcasts where status = 'scheduled' and send_at <= now() order by send_at limit ${limit}`;
  return rows.map((row) => row.id);
}
