import type { Redis } from 'ioredis';
import type { Logger } from '@tidings/server-kit';

/** How often the marker is looked at besides after each reconnect. */
const CHECK_EVERY_MS = 2_000;

/**
 * Tells when Redis has lost its data: restarted without persistence, failed over to an empty
 * replica, flushed. Every BullMQ job, job scheduler and delayed release is gone then, and nothing in
 * Redis says so, so a marker key of ours is set at start and looked at after every reconnect and
 * every couple of seconds; when it is missing, `onLost` runs (once per loss) and the marker is set
 * again. Several workers may each run `onLost`: what it does must be idempotent.
 */
export class RedisDataLossWatch {
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly markerKey: string,
    private readonly onLost: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /**
   * Looks once (Redis may have lost its data while no worker ran; a Redis that never had the
   * marker gets the recovery too, which finds nothing to do), then keeps watching.
   */
  async start(): Promise<void> {
    await this.lookAtMarker(true);
    this.redis.on('ready', this.check);
    this.timer = setInterval(this.check, CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.redis.off('ready', this.check);
  }

  private readonly check = (): void => {
    this.checking ??= this.lookAtMarker(false).finally(() => {
      this.checking = undefined;
    });
  };

  private async lookAtMarker(atStart = false): Promise<void> {
    let present: number;
    try {
      present = await this.redis.exists(this.markerKey);
    } catch {
      return; // Redis away: looked at again after the reconnect
    }
    if (present === 1) return;
    if (atStart) this.logger.info({ key: this.markerKey }, 'no queue marker in redis (first start, or its data was lost): checking for lost email jobs');
    else this.logger.warn({ key: this.markerKey }, 'redis lost its data (restarted empty or flushed): restoring job schedulers and lost email jobs');
    try {
      await this.onLost();
      await this.redis.set(this.markerKey, String(Date.now()));
    } catch (error) {
      // The marker stays missing, so the next check tries again.
      this.logger.error({ err: (error as Error).message }, 'recovery after redis data loss failed; will retry');
    }
  }
}
