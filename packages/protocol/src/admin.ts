import { z } from 'zod';
import { cursorSchema, pageLimitSchema, queryBoolean, typeKeySchema, userIdSchema, uuidSchema } from './common.ts';
import { listNotificationsQuerySchema } from './notifications.ts';

export const adminNotificationsQuerySchema = z
  .strictObject({
    limit: pageLimitSchema,
    cursor: cursorSchema.optional(),
    user_id: userIdSchema.optional(),
    type: typeKeySchema.optional(),
    broadcast_id: uuidSchema.optional(),
    q: listNotificationsQuerySchema.shape.q,
    is_read: queryBoolean.optional().meta({ description: '`true`: read ones only; `false`: unread ones only.' }),
    from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created at or after this instant.' }),
    to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created before this instant.' }),
  })
  .refine((query) => query.from === undefined || query.to === undefined || Date.parse(query.from) < Date.parse(query.to), {
    path: ['to'],
    message: 'must be later than from',
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

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() }).meta({ id });
}

export type BroadcastStatus = z.infer<typeof broadcastStatusSchema>;
export type Broadcast = z.infer<typeof broadcastSchema>;
export type EmailStatus = z.infer<typeof emailStatusSchema>;
export type EmailLog = z.infer<typeof emailLogSchema>;
export type SuppressionReason = z.infer<typeof suppressionReasonSchema>;
export type EmailSuppression = z.infer<typeof emailSuppressionSchema>;
export type Connection = z.infer<typeof connectionSchema>;
/** A keyset page of `T` (see `pageOf`): pass `next_cursor` back as `cursor`. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
