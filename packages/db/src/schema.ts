import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => timestamptz('created_at').notNull().defaultNow();
const updatedAt = () => timestamptz('updated_at').notNull().defaultNow();

/** A user who can receive notifications. `last_seq` is the seq of their newest notification. */
export const recipients = pgTable(
  'recipients',
  {
    id: text('id').primaryKey(),
    email: text('email'),
    name: text('name'),
    locale: text('locale'),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    emailUnsubscribedAt: timestamptz('email_unsubscribed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('recipients_roles_idx').using('gin', t.roles)],
);

export const notificationTypes = pgTable('notification_types', {
  key: text('key').primaryKey(),
  description: text('description'),
  defaultInApp: boolean('default_in_app').notNull().default(true),
  defaultEmail: boolean('default_email').notNull().default(false),
  critical: boolean('critical').notNull().default(false),
  template: text('template'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * One send request: what a producer asked for, to whom, and how it went. Every
 * `POST /v1/notifications` makes one, whether it reaches one user or all of them.
 */
export const broadcasts = pgTable(
  'broadcasts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    createdBy: text('created_by').notNull(),
    target: jsonb('target').notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** data, icon, action_url and priority of the request, for scheduled release and auditing. */
    payload: jsonb('payload').notNull(),
    recipientCount: integer('recipient_count').notNull().default(0),
    sendAt: timestamptz('send_at'),
    status: text('status', { enum: ['scheduled', 'sending', 'sent', 'cancelled'] }).notNull(),
    idempotencyKey: text('idempotency_key'),
    /** sha256 of the creator and the canonical request body, to tell a replay from a reuse. */
    requestHash: text('request_hash'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('broadcasts_idempotency_key_idx').on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('broadcasts_created_idx').on(t.createdAt, t.id),
    index('broadcasts_scheduled_idx').on(t.sendAt).where(sql`${t.status} = 'scheduled'`),
    check('broadcasts_status_check', sql`${t.status} in ('scheduled', 'sending', 'sent', 'cancelled')`),
  ],
);

/**
 * One row per recipient. `seq` is null while the row is held for a scheduled send: a seq is given
 * only at release, so a user's seqs always arrive in order.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => recipients.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }),
    type: text('type').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    icon: text('icon'),
    actionUrl: text('action_url'),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'critical'] }).notNull().default('normal'),
    isRead: boolean('is_read').notNull().default(false),
    readAt: timestamptz('read_at'),
    createdAt: createdAt(),
    sendAt: timestamptz('send_at'),
    publishedAt: timestamptz('published_at'),
    deletedAt: timestamptz('deleted_at'),
    broadcastId: uuid('broadcast_id').references(() => broadcasts.id, { onDelete: 'set null' }),
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    uniqueIndex('notifications_user_seq_idx').on(t.userId, t.seq),
    uniqueIndex('notifications_user_idempotency_idx').on(t.userId, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('notifications_unread_idx').on(t.userId, t.seq).where(sql`${t.isRead} = false and ${t.deletedAt} is null and ${t.seq} is not null`),
    index('notifications_broadcast_idx').on(t.broadcastId, t.userId),
    index('notifications_unpublished_idx').on(t.createdAt).where(sql`${t.publishedAt} is null and ${t.seq} is not null`),
    index('notifications_created_idx').on(t.createdAt, t.id),
    // Inbox search (`q`): trigrams of title and body, with user_id (btree_gin) so a scan yields only
    // that user's matches. A row enters it when it is marked published, not when it is inserted: the
    // create and broadcast transactions then never pay for a GIN entry of ~100 keys per row (the
    // mark, batched after the answer, pays it once). Needs pg_trgm and btree_gin (migration 0002).
    index('notifications_search_idx')
      .using('gin', t.userId, t.title.op('gin_trgm_ops'), t.body.op('gin_trgm_ops'))
      .where(sql`${t.seq} is not null and ${t.deletedAt} is null and ${t.publishedAt} is not null`),
    check('notifications_priority_check', sql`${t.priority} in ('low', 'normal', 'high', 'critical')`),
  ],
);

export const notificationPreferences = pgTable('notification_preferences', {
  userId: text('user_id')
    .primaryKey()
    .references(() => recipients.id, { onDelete: 'cascade' }),
  inAppEnabled: boolean('in_app_enabled').notNull().default(true),
  emailEnabled: boolean('email_enabled').notNull().default(true),
  digest: text('digest', { enum: ['off', 'daily', 'weekly'] }).notNull().default('off'),
  types: jsonb('types').$type<Record<string, { in_app?: boolean; email?: boolean }>>().notNull().default({}),
  /** The end of the window the last digest covered; the next one lists what came after it. */
  digestSentAt: timestamptz('digest_sent_at'),
  updatedAt: updatedAt(),
});

/**
 * One email: a notification's (one per send and recipient) or a digest's. Written as `queued` in
 * the transaction that decides it, so a crash between commit and enqueue cannot lose it.
 */
export const emailLogs = pgTable(
  'email_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => recipients.id, { onDelete: 'cascade' }),
    /** Null for a digest, which covers many notifications, and when the user has in-app off. */
    notificationId: uuid('notification_id').references(() => notifications.id, { onDelete: 'set null' }),
    /** The send whose content this email carries; null for a digest. */
    broadcastId: uuid('broadcast_id').references(() => broadcasts.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: ['notification', 'digest'] }).notNull().default('notification'),
    /** `n:<broadcast>:<user>` or `d:<period>:<user>:<until>`: the same email is never written twice. */
    dedupeKey: text('dedupe_key').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    template: text('template').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed', 'bounced', 'suppressed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    providerMessageId: text('provider_message_id'),
    error: text('error'),
    /** A digest covers the user's unread notifications created in (since, until]. */
    digestPeriod: text('digest_period', { enum: ['daily', 'weekly'] }),
    digestSince: timestamptz('digest_since'),
    digestUntil: timestamptz('digest_until'),
    queuedAt: timestamptz('queued_at').notNull().defaultNow(),
    /** When its job was handed to the queue; the relay enqueues queued logs still without one. */
    enqueuedAt: timestamptz('enqueued_at'),
    sentAt: timestamptz('sent_at'),
  },
  (t) => [
    index('email_logs_user_idx').on(t.userId, t.queuedAt),
    index('email_logs_queued_idx').on(t.queuedAt, t.id),
    uniqueIndex('email_logs_dedupe_idx').on(t.dedupeKey),
    index('email_logs_broadcast_idx').on(t.broadcastId),
    index('email_logs_provider_idx').on(t.providerMessageId).where(sql`${t.providerMessageId} is not null`),
    index('email_logs_pending_idx').on(t.enqueuedAt).where(sql`${t.status} = 'queued'`),
    check('email_logs_status_check', sql`${t.status} in ('queued', 'sent', 'failed', 'bounced', 'suppressed')`),
  ],
);

/** Addresses that must get no email: they bounced, complained, or an operator said so. */
export const emailSuppressions = pgTable(
  'email_suppressions',
  {
    /** Lower-cased. */
    address: text('address').primaryKey(),
    reason: text('reason', { enum: ['bounced', 'complained', 'manual'] }).notNull(),
    detail: text('detail'),
    createdAt: createdAt(),
  },
  (t) => [check('email_suppressions_reason_check', sql`${t.reason} in ('bounced', 'complained', 'manual')`)],
);
