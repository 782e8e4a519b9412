import { z } from 'zod';
import { limits } from './limits.ts';
import { typeKeySchema, uuidSchema } from './common.ts';
import { wireNotificationSchema } from './events.ts';
import { errorFrameCodes } from './codes.ts';

export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connection_established'),
    connection_id: z.string(),
    user_id: z.string(),
    heartbeat_ms: z.number().int(),
    last_seq: z.number().int().nonnegative(),
    unread_count: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('notification'), notification: wireNotificationSchema }),
  z.object({ type: z.literal('resume_complete'), count: z.number().int().nonnegative(), last_seq: z.number().int().nonnegative() }),
  z.object({ type: z.enum(['notification_read', 'notification_unread', 'notification_deleted']), ids: z.array(uuidSchema) }),
  z.object({ type: z.literal('all_read'), type_filter: z.string().optional() }),
  z.object({ type: z.literal('unread_count'), count: z.number().int().nonnegative() }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('heartbeat') }),
  z.object({ type: z.literal('subscription_updated'), types: z.array(z.string()) }),
  z.object({ type: z.literal('error'), code: z.enum(errorFrameCodes), message: z.string() }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

const typeList = z.array(typeKeySchema).max(100);

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping') }),
  z.strictObject({ type: z.literal('resume'), since: z.number().int().nonnegative() }),
  z.strictObject({ type: z.literal('mark_read'), ids: z.array(uuidSchema).min(1).max(limits.idsPerReadRequest) }),
  z.strictObject({ type: z.literal('mark_all_read'), type_filter: typeKeySchema.optional() }),
  z.strictObject({ type: z.literal('subscribe'), types: typeList }),
  z.strictObject({ type: z.literal('unsubscribe'), types: typeList }),
  z.strictObject({ type: z.literal('auth'), token: z.string().min(1).max(8_192) }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

const json = (frame: ServerFrame) => JSON.stringify(frame);

/**
 * Server frames, serialised: the one place they are built, for the gateways to write and for the
 * offline queue to store notification frames as they will be written. Frames that never vary are
 * built once.
 */
export const serverFrames = {
  connectionEstablished: (hello: Omit<Frame<'connection_established'>, 'type'>) => json({ type: 'connection_established', ...hello }),
  notification: (notification: Frame<'notification'>['notification']) => json({ type: 'notification', notification }),
  readState: (type: 'notification_read' | 'notification_unread' | 'notification_deleted', ids: string[]) => json({ type, ids }),
  allRead: (typeFilter: string | null) => json(typeFilter === null ? { type: 'all_read' } : { type: 'all_read', type_filter: typeFilter }),
  unreadCount: (count: number) => json({ type: 'unread_count', count }),
  resumeComplete: (count: number, lastSeq: number) => json({ type: 'resume_complete', count, last_seq: lastSeq }),
  subscriptionUpdated: (types: string[]) => json({ type: 'subscription_updated', types }),
  error: (code: Frame<'error'>['code'], message: string) => json({ type: 'error', code, message }),
  pong: json({ type: 'pong' }),
  heartbeat: json({ type: 'heartbeat' }),
};
