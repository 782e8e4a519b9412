import type { Broker, MessageHandler, OutgoingMessage } from './broker.ts';

/** In-process broker for a single node and for tests. Delivers asynchronously, like Redis. */
export class MemoryBroker implements Broker {
  private readonly handlers = new Map<string, MessageHandler>();
  private closed = false;

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('broker is closed');
    for (const { channel, payload } of messages) {
      queueMicrotask(() => this.handlers.get(channel)?.(payload, channel));
    }
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    this.handlers.set(channel, handler);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.handlers.delete(channel);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}
