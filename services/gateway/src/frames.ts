import type { ServerFrame, WireNotification } from '@tidings/protocol';

const json = (frame: ServerFrame) => JSON.stringify(frame);

/** Serialises server frames. Frames that never vary are built once. */
export const frames = {
  notification: (notification: WireNotification) => json({ type: 'notification', notification }),
  readState: (type: 'notification_read' | 'notification_unread' | 'notification_deleted', ids: string[]) => json({ type, ids }),
  allRead: (typeFilter: string | null) => json(typeFilter === null ? { type: 'all_read' } : { type: 'all_read', type_filter: typeFilter }),
  unreadCount: (count: number) => json({ type: 'unread_count', count }),
  resumeComplete: (count: number, lastSeq: number) => json({ type: 'resume_complete', count, last_seq: lastSeq }),
  subscriptionUpdated: (types: string[]) => json({ type: 'subscription_updated', types }),
  error: (code: Extract<ServerFrame, { type: 'error' }>['code'], message: string) => json({ type: 'error', code, message }),
  pong: json({ type: 'pong' }),
  heartbeat: json({ type: 'heartbeat' }),
};
