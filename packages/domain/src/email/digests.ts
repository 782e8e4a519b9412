import type { Sql } from '@tidings/db';
import { typeDefaults } from '@tidings/protocol';
import { visibleNotificationSql } from '../inbox/visible.ts';
import { resolveChannels, storedPreferences } from '../preferences/preferences.ts';

export interface DigestEntry {
  type: string;
  title: string;
  body: string;
  actionUrl: string | null;
  createdAt: Date;
}

interface DigestRow {
  type: string;
  title: string;
  body: string;
  action_url: string | null;
  created_at: string;
  /** Null when the type was never configured (its defaults apply). */
  default_in_app: boolean | null;
  default_email: boolean | null;
  critical: boolean | null;
  in_app_enabled: boolean | null;
  email_enabled: boolean | null;
  types: string | null;
}

/**
 * What a digest lists: the user's visible notifications created in its window that are still
 * unread, whose type the user gets by email. Critical ones are left out: they went out at once.
 */
export async function digestEntries(sql: Sql, userId: string, since: Date, until: Date, limit = 1_000): Promise<DigestEntry[]> {
  const rows = await sql<DigestRow[]>`
    select n.type, n.title, n.body, n.action_url, n.created_at::text as created_at,
           t.default_in_app, t.default_email, t.critical, p.in_app_enabled, p.email_enabled, p.types::text as types
    from notifications n
    left join notification_types t on t.key = n.type
    left join notification_preferences p on p.user_id = n.user_id
    where n.user_id = ${userId} and n.created_at > ${since.toISOString()}::timestamptz and n.created_at <= ${until.toISOString()}::timestamptz
      and not n.is_read and ${visibleNotificationSql(sql, 'n')} and n.priority <> 'critical'
    order by n.seq limit ${limit}`;
  return rows.flatMap((row) => {
    const type =
      row.critical === null
        ? { key: row.type, ...typeDefaults }
        : { key: row.type, default_in_app: row.default_in_app!, default_email: row.default_email!, critical: row.critical };
    if (type.critical) return [];
    const { email } = resolveChannels(storedPreferences(row), type, false, { hasEmail: true, unsubscribed: false });
    return email ? [{ type: row.type, title: row.title, body: row.body, actionUrl: row.action_url, createdAt: new Date(row.created_at) }] : [];
  });
}

const periodLength = { daily: '1 day', weekly: '7 days' } as const;

/**
 * Opens this period's digests: for every user on a `period` digest with an address, not
 * unsubscribed, one queued digest email covering (last digest, until], when that window holds an
 * unread non-critical notification. Each user's window then ends at `until`, so windows never
 * overlap and a rerun finds nothing new. Answers the ids of the new email logs.
 */
export async function openDigests(sql: Sql, period: 'daily' | 'weekly', until: Date): Promise<string[]> {
  const untilText = until.toISOString();
  const rows = await sql<{ id: string }[]>`
    with due as (
      select p.user_id, r.email, coalesce(p.digest_sent_at, ${untilText}::timestamptz - ${periodLength[period]}::interval) as since
      from notification_preferences p join recipients r on r.id = p.user_id
      where p.digest = ${period} and p.email_enabled and r.email is not null and r.email_unsubscribed_at is null
        and (p.digest_sent_at is null or p.digest_sent_at < ${untilText}::timestamptz)
      for update of p
    ), advanced as (
      update notification_preferences p set digest_sent_at = ${untilText}::timestamptz from due where p.user_id = due.user_id
    )
    insert into email_logs (user_id, kind, dedupe_key, "to", subject, template, status, digest_period, digest_since, digest_until)
    select due.user_id, 'digest', 'd:' || ${period} || ':' || due.user_id || ':' || ${untilText}, due.email,
           ${`Your ${period} digest`}, 'digest', 'queued', ${period}, due.since, ${untilText}::timestamptz
    from due
    where exists (
      select 1 from notifications n
      where n.user_id = due.user_id and n.created_at > due.since and n.created_at <= ${untilText}::timestamptz
        and not n.is_read and ${visibleNotificationSql(sql, 'n')} and n.priority <> 'critical')
    on conflict (dedupe_key) do nothing
    returning id`;
  return rows.map((row) => row.id);
}
