import { z } from 'zod';
import { prioritySchema, userIdSchema, uuidSchema } from './common.ts';

/** A notification as it travels to clients: the REST shape less `user_id` and `read_at`. */
export const wireNotificationSchema = z.object({
  id: uuidSchema,
  seq: z.number().int().positive(),
  type: z.string(),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()),
  icon: z.string().nullable(),
  action_url: z.string().nullable(),
  priority: prioritySchema,
  created_at: z.string(),
  is_read: z.boolean(),
});
export type WireNotification = z.infer<typeof wireNotificationSchema>;

/**
 * Events the API publishes to Redis after a commit, one JSON message each. Per-user events go to
 * the user's channel; a notification to many users goes once to the broadcast channel and each
 * gateway looks up the seq of its own local recipients.
 */
export const busEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notification'), user_id: userIdSchema, notification: wireNotificationSchema }),
  z.object({
    kind: z.literal('broadcast'),
    broadcast_id: uuidSchema,
    recipient_count: z.number().int().nonnegative(),
    notification: wireNotificationSchema.omit({ id: true, seq: true }),
  }),
  z.object({
    kind: z.literal('read_state'),
    user_id: userIdSchema,
    change: z.enum(['notification_read', 'notification_unread', 'notification_deleted']),
    ids: z.array(uuidSchema),
    unread_count: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('all_read'),
    user_id: userIdSchema,
    type_filter: z.string().nullable(),
    unread_count: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal('disconnect'), user_id: userIdSchema, reason: z.string() }),
]);
export type BusEvent = z.infer<typeof busEventSchema>;
export type BroadcastEvent = Extract<BusEvent, { kind: 'broadcast' }>;
