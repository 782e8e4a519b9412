import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
    roles: text('roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
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
    uniqueIndex('broadcasts_idempotency_key_idx')
      .on(t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('broadcasts_created_idx').on(t.createdAt, t.id),
    index('broadcasts_scheduled_idx')
      .on(t.sendAt)
      .where(sql`${t.status} = 'scheduled'`),
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
    priority: text('priority', { enum: ['low', 'normal', 'high', 'critical'] })
      .notNull()
      .default('normal'),
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
    uniqueIndex('notifications_user_idempotency_idx')
      .on(t.userId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('notifications_unread_idx')
      .on(t.userId, t.seq)
      .where(sql`${t.isRead} = false and ${t.deletedAt} is null and ${t.seq} is not null`),
    index('notifications_broadcast_idx').on(t.broadcastId, t.userId),
    index('notifications_unpublished_idx')
      .on(t.createdAt)
      .where(sql`${t.publishedAt} is null and ${t.seq} is not null`),
    index('notifications_created_idx').on(t.createdAt, t.id),
    // Admin charts and today's count (`/v1/admin/stats`, `/timeseries`): released rows by UTC minute of
    // creation, then type. A chart reads a range of it alone (an index-only scan) in the order it
    // groups by, so counting a day's rows is one streaming pass with no sort and no hash; created_at
    // is there for a window that starts or ends inside a minute. Queries spell the key exactly as
    // `minuteOf` in packages/domain/src/admin/admin-stats.ts does, or the index does not match.
    index('notifications_created_minute_idx')
      .on(sql`date_bin('1 minute', ${t.createdAt}, '2000-01-01 00:00:00+00'::timestamptz)`, t.type, t.createdAt)
      .where(sql`${t.seq} is not null`),
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

/**
 * Released notifications per UTC minute of creation and type, for the minutes the rollup has closed
 * (`rollUpMinutes` in packages/domain/src/admin/stats-rollup.ts). The admin charts and today's count read
 * these instead of the rows; `stats_rollup_state` says which minutes are here.
 */
export const notificationMinuteCounts = pgTable(
  'notification_minute_counts',
  {
    minute: timestamptz('minute').notNull(),
    type: text('type').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.minute, t.type] })],
);

/**
 * The one row of the rollup: `notification_minute_counts` holds every minute in
 * [rolled_from, rolled_until) and only those; minutes outside are counted from `notifications`.
 */
export const statsRollupState = pgTable(
  'stats_rollup_state',
  {
    id: smallint('id').primaryKey(),
    rolledFrom: timestamptz('rolled_from').notNull(),
    rolledUntil: timestamptz('rolled_until').notNull(),
  },
  (t) => [check('stats_rollup_state_one_row', sql`${t.id} = 1`), check('stats_rollup_state_range', sql`${t.rolledFrom} <= ${t.rolledUntil}`)],
);

export const notificationPreferences = pgTable('notification_preferences', {
  userId: text('user_id')
    .primaryKey()
    .references(() => recipients.id, { onDelete: 'cascade' }),
  inAppEnabled: boolean('in_app_enabled').notNull().default(true),
  emailEnabled: boolean('email_enabled').notNull().default(true),
  digest: text('digest', { enum: ['off', 'daily', 'weekly'] })
    .notNull()
    .default('off'),
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
    kind: text('kind', { enum: ['notification', 'digest'] })
      .notNull()
      .default('notification'),
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
    // Admin charts and today's counts by status, from the index alone (see notifications_created_minute_idx).
    index('email_logs_queued_minute_idx').on(sql`date_bin('1 minute', ${t.queuedAt}, '2000-01-01 00:00:00+00'::timestamptz)`, t.status, t.queuedAt),
    uniqueIndex('email_logs_dedupe_idx').on(t.dedupeKey),
    index('email_logs_broadcast_idx').on(t.broadcastId),
    index('email_logs_provider_idx')
      .on(t.providerMessageId)
      .where(sql`${t.providerMessageId} is not null`),
    index('email_logs_pending_idx')
      .on(t.enqueuedAt)
      .where(sql`${t.status} = 'queued'`),
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
