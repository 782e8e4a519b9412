import { z } from 'zod';
import { limits } from './limits.ts';
import {
  cursorSchema,
  dataSchema,
  pageLimitSchema,
  prioritySchema,
  queryBoolean,
  roleSchema,
  typeKeySchema,
  urlSchema,
  userIdSchema,
  uuidSchema,
} from './common.ts';

export const notificationSchema = z
  .object({
    id: uuidSchema,
    user_id: userIdSchema,
    seq: z.number().int().positive(),
    type: typeKeySchema,
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
    icon: z.string().nullable(),
    action_url: z.string().nullable(),
    priority: prioritySchema,
    is_read: z.boolean(),
    read_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

export const targetSchema = z
  .strictObject({
    user_ids: z.array(userIdSchema).min(1).max(limits.userIdsPerRequest).optional(),
    roles: z.array(roleSchema).min(1).max(limits.rolesPerRequest).optional(),
    all: z.literal(true).optional(),
  })
  .refine((t) => [t.user_ids, t.roles, t.all].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of user_ids, roles or all',
  })
  .meta({ id: 'Target', description: 'Who receives the notification: exactly one of the three.' });
export type Target = z.infer<typeof targetSchema>;

export const createNotificationSchema = z
  .strictObject({
    to: targetSchema,
    type: typeKeySchema,
    title: z.string().min(1).max(limits.titleLength),
    body: z.string().max(limits.bodyLength).default(''),
    data: dataSchema.default({}),
    icon: urlSchema.nullable().default(null),
    action_url: urlSchema.nullable().default(null),
    priority: prioritySchema.default('normal'),
    send_at: z.iso.datetime({ offset: true }).nullable().default(null),
    dry_run: z
      .boolean()
      .optional()
      .meta({ description: 'Only count the recipients this request would reach now (answered 200 `{ recipient_count }`); nothing is written or sent.' }),
  })
  .meta({ id: 'CreateNotification' });
export type CreateNotificationInput = z.infer<typeof createNotificationSchema>;
/** A create request as a client writes it: fields with a default may be left out. */
export type CreateNotificationBody = z.input<typeof createNotificationSchema>;

export const createNotificationResultSchema = z
  .object({
    broadcast_id: uuidSchema,
    recipient_count: z.number().int().nonnegative(),
    status: z.enum(['sent', 'scheduled']),
    notification_ids: z.array(uuidSchema).optional(),
  })
  .meta({ id: 'CreateNotificationResult' });
export type CreateNotificationResult = z.infer<typeof createNotificationResultSchema>;

export const dryRunResultSchema = z
  .object({ recipient_count: z.number().int().nonnegative() })
  .meta({ id: 'DryRunResult', description: 'How many recipients a send of this request would reach now, after their preferences.' });
export type DryRunResult = z.infer<typeof dryRunResultSchema>;

export const listNotificationsQuerySchema = z.strictObject({
  limit: pageLimitSchema,
  cursor: cursorSchema.optional(),
  unread_only: queryBoolean.optional(),
  type: typeKeySchema.optional(),
  q: z
    .string()
    .trim()
    .min(1, 'give at least one character to search for')
    .max(limits.searchLength)
    .optional()
    .meta({ description: 'Text to find in the title or body (case-insensitive).' }),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuerySchema>;

export const notificationPageSchema = z.object({ items: z.array(notificationSchema), next_cursor: z.string().nullable() }).meta({ id: 'NotificationPage' });

export const unreadCountSchema = z.object({ count: z.number().int().nonnegative() }).meta({ id: 'UnreadCount' });

export const readAllSchema = z.strictObject({ type: typeKeySchema.optional() }).meta({ id: 'ReadAll' });
export const readAllResultSchema = z.object({ updated: z.number().int().nonnegative() }).meta({ id: 'ReadAllResult' });

const bulkIds = z.array(uuidSchema).min(1).max(limits.idsPerBulkRequest);

export const bulkReadSchema = z.strictObject({ ids: bulkIds }).meta({ id: 'BulkRead' });
export type BulkRead = z.infer<typeof bulkReadSchema>;
export const bulkReadResultSchema = z.object({ updated: z.number().int().nonnegative() }).meta({ id: 'BulkReadResult' });

export const bulkDeleteSchema = z
  .union([z.strictObject({ ids: bulkIds }), z.strictObject({ all_read: z.literal(true) })])
  .meta({ id: 'BulkDelete', description: 'Either the ids to delete or `all_read: true` (every read notification).' });
export type BulkDelete = z.infer<typeof bulkDeleteSchema>;
export const bulkDeleteResultSchema = z.object({ deleted: z.number().int().nonnegative() }).meta({ id: 'BulkDeleteResult' });
