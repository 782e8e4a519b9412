import { z } from 'zod';
import { cursorSchema, pageLimitSchema, typeKeySchema, userIdSchema, uuidSchema } from './common.ts';

export const adminNotificationsQuerySchema = z.strictObject({
  limit: pageLimitSchema,
  cursor: cursorSchema.optional(),
  user_id: userIdSchema.optional(),
  type: typeKeySchema.optional(),
  broadcast_id: uuidSchema.optional(),
});

export const broadcastStatusSchema = z.enum(['scheduled', 'sending', 'sent', 'cancelled']);

export const broadcastSchema = z
  .object({
    id: uuidSchema,
    created_by: z.string(),
    target: z.record(z.string(), z.unknown()),
    type: z.string(),
    title: z.string(),
    body: z.string(),
    recipient_count: z.number().int().nonnegative(),
    send_at: z.string().nullable(),
    status: broadcastStatusSchema,
    created_at: z.string(),
  })
  .meta({ id: 'Broadcast' });

export const adminBroadcastsQuerySchema = z.strictObject({
  limit: pageLimitSchema,
  cursor: cursorSchema.optional(),
  status: broadcastStatusSchema.optional(),
});

export const emailStatusSchema = z.enum(['queued', 'sent', 'failed', 'bounced', 'suppressed']);

export const emailLogSchema = z
  .object({
    id: uuidSchema,
    user_id: z.string(),
    notification_id: z.string().nullable(),
    broadcast_id: z.string().nullable(),
    kind: z.enum(['notification', 'digest']),
    to: z.string(),
    subject: z.string(),
    template: z.string(),
    status: emailStatusSchema,
    attempts: z.number().int(),
    provider_message_id: z.string().nullable(),
    error: z.string().nullable(),
    queued_at: z.string(),
    sent_at: z.string().nullable(),
  })
  .meta({ id: 'EmailLog' });

export const adminEmailLogsQuerySchema = z.strictObject({
  limit: pageLimitSchema,
  cursor: cursorSchema.optional(),
  user_id: userIdSchema.optional(),
  status: emailStatusSchema.optional(),
});

export const suppressionReasonSchema = z.enum(['bounced', 'complained', 'manual']);

export const emailSuppressionSchema = z
  .object({
    address: z.string(),
    reason: suppressionReasonSchema,
    detail: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'EmailSuppression' });

export const adminSuppressionsQuerySchema = z.strictObject({
  limit: pageLimitSchema,
  cursor: cursorSchema.optional(),
  reason: suppressionReasonSchema.optional(),
});

/** An address an operator blocks by hand: no email goes to it until the entry is deleted. */
export const createSuppressionSchema = z.strictObject({
  address: z.email().max(320),
  detail: z.string().max(1_000).optional(),
});

export const suppressionAddressParamsSchema = z.strictObject({ address: z.email().max(320) });

export const connectionSchema = z
  .object({
    connection_id: z.string(),
    user_id: z.string(),
    gateway_id: z.string(),
    connected_at: z.string(),
  })
  .meta({ id: 'Connection' });

export const adminConnectionsQuerySchema = z.strictObject({ user_id: userIdSchema.optional() });

export const statsSchema = z
  .object({
    recipients: z.number().int(),
    notifications: z.number().int(),
    unread: z.number().int(),
    scheduled: z.number().int(),
    broadcasts: z.record(z.string(), z.number().int()),
    emails: z.record(z.string(), z.number().int()),
    gateways: z.number().int(),
    connections: z.number().int(),
  })
  .meta({ id: 'Stats' });

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() }).meta({ id });
}
