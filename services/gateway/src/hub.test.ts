import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { channelsFor, MemoryBroker, type MessageHandler } from '@tidings/cluster';
import type { BroadcastRecipient } from '@tidings/domain';
import type { BusEvent, WireNotification } from '@tidings/protocol';
import { createLogger } from '@tidings/server-kit';
import { Connection, type Sink } from './connection.ts';
import { Hub, type BroadcastLookup } from './hub.ts';

const channels = channelsFor('test:');

/** A memory broker that also answers which channels are subscribed. */
class RecordingBroker extends MemoryBroker {
  readonly subscribed = new Set<string>();

  override async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    this.subscribed.add(channel);
    await super.subscribe(channel, handler);
  }

  override async unsubscribe(channel: string): Promise<void> {
    this.subscribed.delete(channel);
    await super.unsubscribe(channel);
  }
}

function recording(): Sink & { frames: unknown[]; closedWith?: number } {
  const sink: Sink & { frames: unknown[]; closedWith?: number } = {
    kind: 'ws',
    frames: [],
    write: (frame) => void sink.frames.push(JSON.parse(frame)),
    bufferedBytes: () => 0,
    close: (code) => void (sink.closedWith = code),
    terminate: () => {},
  };
  return sink;
}

const notification = (seq: number, title = `n${seq}`): WireNotification => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  seq,
  type: 'comment',
  title,
  body: 'body',
  data: {},
  icon: null,
  action_url: null,
  priority: 'normal',
  created_at: '2026-01-01T00:00:00.000Z',
  is_read: false,
});

/** A hub over a memory broker, its log lines, and a connected, replay-free connection per user asked for. */
async function setUp(lookup: BroadcastLookup = async () => []) {
  const lines: Record<string, unknown>[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const broker = new RecordingBroker();
  const written: number[] = [];
  const hub = new Hub(broker, channels, lookup, createLogger('gateway', 'debug', logSink), {
    framesWritten: (count) => void written.push(count),
    delivered: () => {},
  });
  await hub.start();
  const connect = async (userId: string) => {
    const sink = recording();
    const connection = new Connection(`${userId}-${Math.random()}`, userId, sink, '');
    await hub.add(connection);
    return { connection, sink };
  };
  const publish = async (channel: string, payload: string) => {
    await broker.publish([{ channel, payload }]);
    // The memory broker delivers on a microtask, and a broadcast writes after its lookup.
    await nextTurn();
    await nextTurn();
  };
  const publishEvent = (event: BusEvent) => publish(event.kind === 'broadcast' ? channels.broadcast : channels.user(event.user_id), JSON.stringify(event));
  return { hub, broker, lines, written, connect, publish, publishEvent };
}

describe('the hub', () => {
  it("writes a user's notification to every connection of that user and to no one else", async () => {
    const { connect, publishEvent, written } = await setUp();
    const [tab1, tab2, other] = [await connect('alice'), await connect('alice'), await connect('bob')];
    await publishEvent({ kind: 'notification', user_id: 'alice', notification: notification(1) });
    expect(tab1.sink.frames).toEqual([{ type: 'notification', notification: notification(1) }]);
    expect(tab2.sink.frames).toEqual(tab1.sink.frames);
    expect(other.sink.frames).toEqual([]);
    expect(written).toEqual([2]);
  });

  it('drops an unparsable bus message, logs it without its content, and delivers the next good event', async () => {
    const { connect, publish, publishEvent, lines } = await setUp();
    const { sink } = await connect('alice');
    await publish(channels.user('alice'), '{"kind":"notification","title":"secret title"');
    await publishEvent({ kind: 'notification', user_id: 'alice', notification: notification(2) });
    expect(sink.frames).toEqual([{ type: 'notification', notification: notification(2) }]);
    const dropped = lines.find((line) => line.msg === 'unparsable bus message dropped');
    expect(dropped).toMatchObject({ level: 40, channel: channels.user('alice') });
    expect(JSON.stringify(lines)).not.toContain('secret title');
  });

  it('drops an event that fails the bus event schema, logs what was wrong but not the payload, and delivers the next one', async () => {
    const { connect, publish, publishEvent, lines } = await setUp();
    const { sink } = await connect('alice');
    const bad = { kind: 'notification', user_id: 'alice', notification: { ...notification(3, 'secret title'), seq: -1, priority: 'urgent' } };
    await publish(channels.user('alice'), JSON.stringify(bad));
    await publishEvent({ kind: 'notification', user_id: 'alice', notification: notification(4) });
    expect(sink.frames).toEqual([{ type: 'notification', notification: notification(4) }]);
    const dropped = lines.find((line) => line.msg === 'invalid bus event dropped');
    expect(dropped).toMatchObject({ kind: 'notification', channel: channels.user('alice') });
    expect(dropped?.problems).toContain('notification.seq');
    expect(dropped?.problems).toContain('notification.priority');
    expect(JSON.stringify(lines)).not.toContain('secret title');
  });

  it('drops events of an unknown kind and events that are not objects, without throwing', async () => {
    const { connect, publish, lines } = await setUp();
    const { sink } = await connect('alice');
    await publish(channels.user('alice'), JSON.stringify({ kind: 'teleport', user_id: 'alice' }));
    await publish(channels.user('alice'), '5');
    await publish(channels.user('alice'), 'null');
    expect(sink.frames).toEqual([]);
    expect(lines.filter((line) => line.msg === 'unknown bus event dropped')).toMatchObject([{ kind: 'teleport' }]);
    expect(lines.filter((line) => line.msg === 'invalid bus event dropped')).toHaveLength(2);
  });

  it('writes read-state changes and the new unread count, and closes every connection on a forced disconnect', async () => {
    const { connect, publishEvent } = await setUp();
    const { sink } = await connect('alice');
    const id = notification(1).id;
    await publishEvent({ kind: 'read_state', user_id: 'alice', change: 'notification_read', ids: [id], unread_count: 2 });
    await publishEvent({ kind: 'all_read', user_id: 'alice', type_filter: null, unread_count: 0 });
    await publishEvent({ kind: 'disconnect', user_id: 'alice', reason: 'admin' });
    expect(sink.frames).toEqual([
      { type: 'notification_read', ids: [id] },
      { type: 'unread_count', count: 2 },
      { type: 'all_read' },
      { type: 'unread_count', count: 0 },
    ]);
    expect(sink.closedWith).toBe(4003);
  });

  it("subscribes a user's channel with their first connection and unsubscribes it with their last", async () => {
    const { hub, broker, connect, publishEvent } = await setUp();
    const first = await connect('alice');
    const second = await connect('alice');
    expect(broker.subscribed).toEqual(new Set([channels.broadcast, channels.user('alice')]));
    hub.remove(first.connection);
    await nextTurn();
    expect(broker.subscribed.has(channels.user('alice'))).toBe(true);
    hub.remove(second.connection);
    await nextTurn();
    expect(broker.subscribed).toEqual(new Set([channels.broadcast]));
    await publishEvent({ kind: 'notification', user_id: 'alice', notification: notification(1) });
    expect([...first.sink.frames, ...second.sink.frames]).toEqual([]);
    expect(hub.size).toBe(0);
  });

  it('resolves a broadcast against its local recipients only, each with their own id and seq', async () => {
    const asked: string[][] = [];
    const lookup: BroadcastLookup = async (_broadcastId, userIds) => {
      asked.push([...userIds]);
      return [{ userId: 'alice', id: notification(7).id, seq: 7 }] satisfies BroadcastRecipient[];
    };
    const { connect, publishEvent } = await setUp(lookup);
    const [alice, bob] = [await connect('alice'), await connect('bob')];
    const { id: _id, seq: _seq, ...template } = notification(7);
    await publishEvent({ kind: 'broadcast', broadcast_id: '00000000-0000-4000-8000-00000000000b', recipient_count: 2, notification: template });
    expect(asked).toEqual([['alice', 'bob']]);
    expect(alice.sink.frames).toEqual([{ type: 'notification', notification: notification(7) }]);
    expect(bob.sink.frames).toEqual([]);
  });

  it('drops a malformed broadcast without looking anything up, then resolves the next one', async () => {
    let lookups = 0;
    const { connect, publish, publishEvent, lines } = await setUp(async () => {
      lookups++;
      return [{ userId: 'alice', id: notification(8).id, seq: 8 }];
    });
    const { sink } = await connect('alice');
    await publish(channels.broadcast, JSON.stringify({ kind: 'broadcast', broadcast_id: 'not-a-uuid', recipient_count: 1 }));
    await publish(channels.broadcast, JSON.stringify({ kind: 'notification', user_id: 'alice', notification: notification(9) }));
    expect(lookups).toBe(0);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['invalid bus event dropped', 'bus event on the wrong channel dropped']));
    const { id: _id, seq: _seq, ...template } = notification(8);
    await publishEvent({ kind: 'broadcast', broadcast_id: '00000000-0000-4000-8000-00000000000b', recipient_count: 1, notification: template });
    expect(lookups).toBe(1);
    expect(sink.frames).toEqual([{ type: 'notification', notification: notification(8) }]);
  });
});
