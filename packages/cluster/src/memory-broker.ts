import type { Logger } from '@tidings/server-kit';
import type { Broker, MessageHandler, OutgoingMessage } from './broker.ts';

/** In-process broker for a single node and for tests. Delivers asynchronously, like Redis. */
export class MemoryBroker implements Broker {
  private readonly handlers = new Map<string, MessageHandler>();
  private closed = false;

  constructor(private readonly logger?: Logger) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('broker is closed');
    for (const { channel, payload } of messages) {
      queueMicrotask(() => this.deliver(channel, payload));
    }
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    this.handlers.set(channel, handler);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.handlers.delete(channel);
  }

  /** An in-process broker never loses its subscriptions. */
  onResubscribed(_listener: () => void): void {}

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }

  private deliver(channel: string, payload: string): void {
    try {
      this.handlers.get(channel)?.(payload, channel);
    } catch (error) {
      this.logger?.error({ err: error, channel }, 'message handler failed; message dropped');
    }
  }
}
