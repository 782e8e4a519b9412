import { createHash } from 'node:crypto';
import type { Sql } from '@tidings/db';
import type { CreateNotificationInput, CreateNotificationResult, Target } from '@tidings/protocol';
import { AppError } from '@tidings/server-kit';
import { idsInOrder, NOTIFICATION_IDS_LIMIT } from './answer.ts';
import type { CreateOutcome } from './create-contract.ts';
import { dedupe } from './recipients.ts';

/** A request sent with `"dry_run": false` is the same request as one without it. */
export function requestHash(createdBy: string, input: CreateNotificationInput): string {
  const { dry_run: _dryRun, ...send } = input;
  return createHash('sha256')
    .update(JSON.stringify([createdBy, send]))
    .digest('hex');
}

interface StoredBroadcast {
  id: string;
  created_by: string;
  request_hash: string | null;
  recipient_count: number;
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled';
  /** jsonb as text: drizzle replaces postgres.js's json parser on the shared client. */
  target: string;
}

/** The answer a stored request gave, rebuilt from the database for a replay. */
async function storedAnswer(sql: Sql, broadcast: StoredBroadcast): Promise<CreateNotificationResult> {
  const result: CreateNotificationResult = {
    broadcast_id: broadcast.id,
    recipient_count: broadcast.recipient_count,
    status: broadcast.status === 'scheduled' ? 'scheduled' : 'sent',
  };
  if (broadcast.recipient_count <= NOTIFICATION_IDS_LIMIT) {
    const rows = await sql<{ id: string; user_id: string }[]>`
      select id, user_id from notifications where broadcast_id = ${broadcast.id} order by user_id`;
    const target = JSON.parse(broadcast.target) as Target;
    result.notification_ids = idsInOrder(target.user_ids ? dedupe(target.user_ids) : rows.map((row) => row.user_id), rows);
  }
  return result;
}

/**
 * The earlier answer to a request with this Idempotency-Key, or undefined when there was none; a
 * 422 when the key came with a different request.
 */
export async function replay(sql: Sql, key: string, hash: string): Promise<CreateOutcome | undefined> {
  const [stored] = await sql<StoredBroadcast[]>`
    select id, created_by, request_hash, recipient_count, status, target::text as target from broadcasts where idempotency_key = ${key}`;
  if (!stored) return undefined;
  if (stored.request_hash !== hash) {
    throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used for a different request', [
      { path: 'Idempotency-Key', message: 'already used with another body' },
    ]);
  }
  return { result: await storedAnswer(sql, stored), replayed: true };
}
