import type { BusEvent, WireNotification } from '@tidings/protocol';
import type { CreateDeps } from './create-contract.ts';

export interface CreatedRow {
  id: string;
  user_id: string;
  seq: string | null;
}

export type NotificationTemplate = Omit<WireNotification, 'id' | 'seq'>;

/**
 * Publishes freshly sequenced rows of one send: one event per user up to the threshold, else one
 * broadcast event that each gateway resolves against its own users.
 */
export async function publishCreated(
  deps: Pick<CreateDeps, 'publisher' | 'broadcastThreshold' | 'onCreated'>,
  rows: readonly CreatedRow[],
  template: NotificationTemplate,
  broadcastId: string,
): Promise<void> {
  if (rows.length === 0) return;
  deps.onCreated?.(template.type, rows.length);
  if (rows.length > deps.broadcastThreshold) {
    const event: BusEvent = { kind: 'broadcast', broadcast_id: broadcastId, recipient_count: rows.length, notification: template };
    await deps.publisher.publishNotifications([event], { broadcastId });
    return;
  }
  const events: BusEvent[] = rows.map((row) => ({
    kind: 'notification',
    user_id: row.user_id,
    notification: { id: row.id, seq: Number(row.seq), ...template },
  }));
  await deps.publisher.publishNotifications(events, { ids: rows.map((row) => row.id) });
}
