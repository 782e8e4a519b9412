/** A message for one channel: the payload is serialised once, before it reaches the broker. */
export interface OutgoingMessage {
  channel: string;
  payload: string;
}

export type MessageHandler = (payload: string, channel: string) => void;

/**
 * Publish/subscribe fan-out between the API, the worker and every gateway.
 *
 * Guarantee: at most once, in publish order per channel for one publisher. A message published
 * while a subscriber is disconnected is lost to it; the outbox relay and seq-based resume repair
 * that, so implementations never buffer for absent subscribers.
 */
export interface Broker {
  /** Publishes in order; resolves once the broker accepted every message, rejects if it cannot. */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Starts delivering a channel's messages to `handler`; one handler per channel. */
  subscribe(channel: string, handler: MessageHandler): Promise<void>;
  /** Stops delivering a channel's messages. Unknown channels are ignored. */
  unsubscribe(channel: string): Promise<void>;
  /**
   * Calls `listener` each time the broker got its subscriptions back after losing its connection.
   * Messages published in between were lost to this subscriber, so the listener resyncs.
   */
  onResubscribed(listener: () => void): void;
  /** Idempotent: stops deliveries and releases connections. */
  close(): Promise<void>;
}

/**
 * Channel names, all under one prefix so test runs and deployments sharing a Redis never hear each
 * other (pub/sub channels ignore Redis database numbers).
 */
export interface Channels {
  /** Events for one user: new notifications, read-state changes, forced disconnects. */
  user(userId: string): string;
  /** Notifications to many users, once per send; each gateway resolves its own local recipients. */
  readonly broadcast: string;
}

export function channelsFor(prefix: string): Channels {
  return {
    user: (userId) => `${prefix}user:${userId}`,
    broadcast: `${prefix}broadcast`,
  };
}
