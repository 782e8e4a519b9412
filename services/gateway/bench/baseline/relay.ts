/**
 * The baseline's bridge from the Tidings bus to socket.io: it hears what the Tidings API publishes
 * (`<prefix>user:*` and `<prefix>broadcast`) and re-emits it with @socket.io/redis-emitter, which
 * the two socket.io instances receive through @socket.io/redis-adapter (emitter → adapter, the
 * idiomatic way to push into socket.io from another process).
 *
 * - a per-user notification → `emitter.to('user:<id>').emit('notification', notification)`
 * - a broadcast → `emitter.to('all').emit('notification', { ...template, broadcast_id })`: one
 *   emit to a shared room, as a socket.io app would do it. Unlike Tidings it does NOT look up each
 *   recipient's id and seq, so the baseline does strictly less work per broadcast.
 *
 * env: REDIS_URL, REDIS_PREFIX, SIO_KEY.
 */
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.REDIS_PREFIX ?? 'tidings:';
const emitter = new Emitter(new Redis(redisUrl), { key: process.env.SIO_KEY ?? 'socket.io' });
const subscriber = new Redis(redisUrl);

interface Event {
  kind: string;
  user_id?: string;
  broadcast_id?: string;
  notification?: Record<string, unknown>;
}

let relayed = 0;
function relay(payload: string): void {
  let event: Event;
  try {
    event = JSON.parse(payload) as Event;
  } catch {
    return;
  }
  if (event.kind === 'notification' && event.user_id && event.notification) {
    emitter.to(`user:${event.user_id}`).emit('notification', event.notification);
    relayed++;
  } else if (event.kind === 'broadcast' && event.notification) {
    emitter.to('all').emit('notification', { ...event.notification, broadcast_id: event.broadcast_id });
    relayed++;
  }
}

subscriber.on('pmessage', (_pattern: string, _channel: string, payload: string) => relay(payload));
subscriber.on('message', (_channel: string, payload: string) => relay(payload));
await subscriber.psubscribe(`${prefix}user:*`);
await subscriber.subscribe(`${prefix}broadcast`);
console.log('relay ready');

const stop = () => {
  console.log(`relay stopping after ${relayed} emits`);
  subscriber.disconnect();
  setTimeout(() => process.exit(0), 200).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
