import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';

/** Every BullMQ queue of Tidings, named in one place. */
export const queueNames = {
  /** One delayed job per scheduled send, due at its `send_at`. */
  scheduled: 'scheduled',
  /** Periodic upkeep: releasing overdue scheduled sends, the outbox relay. */
  maintenance: 'maintenance',
} as const;

export const maintenanceJobs = {
  releaseDue: 'release-due',
  outboxRelay: 'outbox-relay',
} as const;

export const releaseJobSchema = z.object({ broadcast_id: z.uuid() });
export type ReleaseJob = z.infer<typeof releaseJobSchema>;

/** BullMQ keys live under the deployment's Redis prefix too, so test runs never share queues. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

/** The job id of a scheduled send's release: one job per send, however often it is enqueued. */
export const releaseJobId = (broadcastId: string) => `release-${broadcastId}`;

export function scheduledQueue(connection: ConnectionOptions, redisPrefix: string): Queue<ReleaseJob> {
  return new Queue<ReleaseJob>(queueNames.scheduled, { connection, prefix: bullPrefix(redisPrefix) });
}

/** Enqueues the release of a scheduled send at its time. */
export async function enqueueRelease(queue: Queue<ReleaseJob>, broadcastId: string, sendAt: Date): Promise<void> {
  await queue.add(
    'release',
    { broadcast_id: broadcastId },
    { jobId: releaseJobId(broadcastId), delay: Math.max(0, sendAt.getTime() - Date.now()), removeOnComplete: 1_000, removeOnFail: 5_000, attempts: 5, backoff: { type: 'exponential', delay: 500 } },
  );
}
