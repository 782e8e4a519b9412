import type { Queryable, Sql } from '@tidings/db';
import { typeDefaults, type CreateNotificationInput, type Target } from '@tidings/protocol';
import type { EmailRecipient } from '../email/email.ts';
import { resolveChannels, storedPreferences, type TypeSettings } from '../preferences/preferences.ts';
import { withRetry } from '../retry.ts';

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
  /** jsonb as text: drizzle replaces postgres.js's json parser on the shared client. */
  types: string | null;
}

/** The user ids of a target, each once, in the order given. */
export function dedupe(ids: readonly string[]): string[] {
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

/** The recipients of a create request and their channels, by the preferences of now. */
export async function resolveRequest(sql: Sql, input: CreateNotificationInput, provision: boolean): Promise<Resolved> {
  const [type, rows] = await Promise.all([typeSettings(sql, input.type), withRetry(() => recipientsOf(sql, input.to, { provision }))]);
  return applyPreferences(rows, type, type.critical || input.priority === 'critical');
}
