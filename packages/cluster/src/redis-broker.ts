import type { Redis } from 'ioredis';
import type { Logger } from '@tidings/server-kit';
import type { Broker, MessageHandler, OutgoingMessage } from './broker.ts';

/**
 * Redis pub/sub. Publishing pipelines every message of a call in one round trip; subscribing uses
 * its own connection (a subscribed Redis connection can do nothing else). ioredis re-subscribes
 * every channel by itself after a reconnect.
 */
export class RedisBroker implements Broker {
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly resubscribedListeners: (() => void)[] = [];
  private subscriber: Redis | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly publisher: Redis,
    private readonly makeSubscriber: () => Redis,
    private readonly logger: Logger,
  ) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (messages.length === 1) {
      await this.publisher.publish(messages[0]!.channel, messages[0]!.payload);
      return;
    }
    const pipeline = this.publisher.pipeline();
    for (const { channel, payload } of messages) pipeline.publish(channel, payload);
    const results = await pipeline.exec();
    const error = results?.find(([error]) => error !== null)?.[0];
    if (error) throw error;
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    this.handlers.set(channel, handler);
    await this.subscriberClient().subscribe(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    if (!this.handlers.delete(channel)) return;
    await this.subscriber?.unsubscribe(channel);
  }

  onResubscribed(listener: () => void): void {
    this.resubscribedListeners.push(listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.handlers.clear();
      await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    })();
    return this.closing;
  }

  private subscriberClient(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.makeSubscriber();
    subscriber.on('message', (channel: string, payload: string) => {
      const handler = this.handlers.get(channel);
      if (!handler) return;
      try {
        handler(payload, channel);
      } catch (error) {
        this.logger.error({ err: error, channel }, 'message handler failed; message dropped');
      }
    });
    // ioredis re-subscribes every channel on reconnect before it says 'ready' again.
    let lost = false;
    subscriber.on('close', () => {
      lost = true;
    });
    subscriber.on('ready', () => {
      if (!lost) return;
      lost = false;
      for (const listener of this.resubscribedListeners) listener();
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}
