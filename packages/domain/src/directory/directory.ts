import { and, asc, eq, getTableColumns, gt, ilike, notExists, or, sql as dsql } from 'drizzle-orm';
import { schema, type Database } from '@tidings/db';
import {
  adminRecipientsQuerySchema,
  typeDefaults,
  type NotificationType,
  type NotificationTypeUpsert,
  type Recipient,
  type RecipientUpsert,
  type UserNotificationType,
} from '@tidings/protocol';
import { notFound } from '@tidings/server-kit';
import type { z } from 'zod';
import { decodeCursor, encodeCursor, type Page } from '../inbox/cursor.ts';
import { iso } from '../inbox/rows.ts';
import { containing, startingWith } from '../inbox/text-match.ts';

type RecipientRow = typeof schema.recipients.$inferSelect;
type TypeRow = typeof schema.notificationTypes.$inferSelect;

function toRecipient(row: RecipientRow): Recipient {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    locale: row.locale,
    roles: row.roles,
    last_seq: row.lastSeq,
    email_unsubscribed_at: iso(row.emailUnsubscribedAt),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function toType(row: TypeRow): NotificationType {
  return {
    key: row.key,
    description: row.description,
    default_in_app: row.defaultInApp,
    default_email: row.defaultEmail,
    critical: row.critical,
    template: row.template,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Drops keys whose value is undefined, so a partial update touches only what was sent. */
function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Recipients and notification types: the directory producers keep up to date. */
export class Directory {
  constructor(private readonly database: Database) {}

  async getRecipient(id: string): Promise<Recipient> {
    const [row] = await this.database.db.select().from(schema.recipients).where(eq(schema.recipients.id, id));
    if (!row) throw notFound('recipient');
    return toRecipient(row);
  }

  /** Creates or updates; fields left out keep their value. Answers the recipient and whether it was new. */
  async upsertRecipient(id: string, update: RecipientUpsert): Promise<{ recipient: Recipient; created: boolean }> {
    const set = defined({ email: update.email, name: update.name, locale: update.locale, roles: update.roles });
    const [row] = await this.database.db
      .insert(schema.recipients)
      .values({ id, ...set })
      .onConflictDoUpdate({ target: schema.recipients.id, set: { ...set, updatedAt: dsql`now()` } })
      .returning({ ...getTableColumns(schema.recipients), created: dsql<boolean>`(xmax = 0)` });
    const { created, ...recipient } = row!;
    return { recipient: toRecipient(recipient), created };
  }

  /** Deletes the recipient with their notifications, preferences and email logs. */
  async deleteRecipient(id: string): Promise<void> {
    const deleted = await this.database.db.delete(schema.recipients).where(eq(schema.recipients.id, id)).returning({ id: schema.recipients.id });
    if (deleted.length === 0) throw notFound('recipient');
  }

  /** A type never configured answers its defaults (in-app on, email off), as a create would use. */
  async getType(key: string): Promise<NotificationType> {
    const [row] = await this.database.db.select().from(schema.notificationTypes).where(eq(schema.notificationTypes.key, key));
    if (row) return toType(row);
    return { key, description: null, template: null, created_at: null, updated_at: null, ...typeDefaults };
  }

  /**
   * Recipients by id, keyset-paginated. `q` (case-insensitive) matches the start of the id or any
   * part of the email or name.
   */
  async recipients(query: z.infer<typeof adminRecipientsQuerySchema>): Promise<Page<Recipient>> {
    const r = schema.recipients;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ['text'])[0];

    const rows = await this.database.db
      .select()
      .from(r)
      .where(
        and(
          after === undefined ? undefined : gt(r.id, after),
          query.q === undefined ? undefined : or(ilike(r.id, startingWith(query.q)), ilike(r.email, containing(query.q)), ilike(r.name, containing(query.q))),
        ),
      )
      .orderBy(asc(r.id))
      .limit(query.limit + 1);
    const items = rows.slice(0, query.limit).map(toRecipient);
    const last = items.at(-1);
    return { items, next_cursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null };
  }

  /**
   * Every type: each configured one, and each type some send used that was never configured (with
   * the defaults and no template), by key.
   */
  async allTypes(): Promise<NotificationType[]> {
    const t = schema.notificationTypes;
    const b = schema.broadcasts;
    const [configured, unconfigured] = await Promise.all([
      this.database.db.select().from(t),
      this.database.db
        .selectDistinct({ key: b.type })
        .from(b)
        .where(notExists(this.database.db.select({ key: t.key }).from(t).where(eq(t.key, b.type)))),
    ]);
    const types = [
      ...configured.map(toType),
      ...unconfigured.map(({ key }) => ({ key, description: null, template: null, created_at: null, updated_at: null, ...typeDefaults })),
    ];
    return types.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  }

  /**
   * Every type a user may set preferences for, by key: each configured type, and each type the user
   * has received that was never configured, with the defaults. One statement: the configured types,
   * and the distinct types of the user's own released rows (one range of the (user_id, seq) index).
   */
  async userTypes(userId: string): Promise<UserNotificationType[]> {
    const rows = await this.database.sql<UserNotificationType[]>`
      select key, description, critical, default_in_app, default_email from notification_types
      union all
      select received.type, null, ${typeDefaults.critical}::boolean, ${typeDefaults.default_in_app}::boolean, ${typeDefaults.default_email}::boolean
      from (select distinct type from notifications where user_id = ${userId} and seq is not null) received
      where not exists (select 1 from notification_types t where t.key = received.type)
      order by key`;
    return [...rows];
  }

  async upsertType(key: string, update: NotificationTypeUpsert): Promise<{ type: NotificationType; created: boolean }> {
    const set = defined({
      description: update.description,
      defaultInApp: update.default_in_app,
      defaultEmail: update.default_email,
      critical: update.critical,
      template: update.template,
    });
    const [row] = await this.database.db
      .insert(schema.notificationTypes)
      .values({ key, ...set })
      .onConflictDoUpdate({ target: schema.notificationTypes.key, set: { ...set, updatedAt: dsql`now()` } })
      .returning({ ...getTableColumns(schema.notificationTypes), created: dsql<boolean>`(xmax = 0)` });
    const { created, ...type } = row!;
    return { type: toType(type), created };
  }
}
