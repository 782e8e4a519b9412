import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { releaseScheduled, type CreateDeps } from '@tidings/domain';
import { queueNames, releaseJobSchema, type ReleaseJob } from '@tidings/jobs';

/** Where the worker's BullMQ queues and workers live. */
export interface QueueConnection {
  connection: Redis;
  prefix: string;
}

/** Releases a scheduled send and logs it; one that is cancelled, already released or not yet due is left alone. */
export async function releaseScheduledSend(deps: CreateDeps, broadcastId: string): Promise<void> {
  const count = await releaseScheduled(deps, broadcastId);
  if (count !== undefined) deps.logger.info({ broadcast: broadcastId, recipients: count }, 'scheduled send released');
}

/** Takes the release jobs enqueued for each scheduled send's `send_at`. */
export function scheduledReleaseWorker(deps: CreateDeps, queues: QueueConnection): Worker<ReleaseJob> {
  return new Worker<ReleaseJob>(
    queueNames.scheduled,
    async (job: Job<ReleaseJob>) => {
      const { broadcast_id } = releaseJobSchema.parse(job.data);
      await releaseScheduledSend(deps, broadcast_id);
    },
    { connection: queues.connection, prefix: queues.prefix, concurrency: 4 },
  );
}
