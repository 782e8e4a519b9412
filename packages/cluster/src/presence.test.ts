import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, createRedis } from '@tidings/server-kit';
import { MemoryPresenceReader, MemoryPresenceStore, MemoryPresenceWriter } from './memory-presence.ts';
import { presenceKeys, RedisPresenceReader, RedisPresenceWriter, type ConnectionInfo, type PresenceReader, type PresenceWriter } from './presence.ts';

const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', createLogger('test', 'silent'), { name: 'test' });
const runPrefix = `test_${randomBytes(4).toString('hex')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${runPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** One presence backend, with a clock the test moves by hand. */
interface Backend {
  reader(): PresenceReader;
  writer(gatewayId: string): PresenceWriter;
  /** Lets `ms` pass for every lease. */
  elapse(ms: number): Promise<void>;
}

function memoryBackend(): Backend {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const store = new MemoryPresenceStore(() => now);
  return {
    reader: () => new MemoryPresenceReader(store),
    writer: (gatewayId) => new MemoryPresenceWriter(store, gatewayId),
    elapse: async (ms) => {
      now += ms;
    },
  };
}

/** Shortens every lease key's TTL by `ms`, deleting those it would outlive: Redis time, moved by hand. */
const elapseScript = `
for _, key in ipairs(KEYS) do
  local ttl = redis.call('PTTL', key)
  if ttl >= 0 then
    if ttl <= tonumber(ARGV[1]) then redis.call('DEL', key) else redis.call('PEXPIRE', key, ttl - tonumber(ARGV[1])) end
  end
end`;

function redisBackend(): Backend {
  const prefix = `${runPrefix}${randomBytes(4).toString('hex')}:`;
  return {
    reader: () => new RedisPresenceReader(redis, prefix),
    writer: (gatewayId) => new RedisPresenceWriter(redis, prefix, gatewayId),
    elapse: async (ms) => {
      const leases = await redis.keys(presenceKeys(prefix).lease('*'));
      if (leases.length > 0) await redis.eval(elapseScript, leases.length, ...leases, ms);
    },
  };
}

const implementations: [string, () => Backend][] = [
  ['memory', memoryBackend],
  ['redis', redisBackend],
];

const LEASE_MS = 60_000;

const connection = (connection_id: string, user_id: string, gateway_id: string, connected_at = '2030-01-01T00:00:00.000Z'): ConnectionInfo => ({
  connection_id,
  user_id,
  gateway_id,
  connected_at,
});
const ids = (connections: readonly ConnectionInfo[]) => connections.map((c) => c.connection_id);

/** One conformance suite, run against every Presence implementation. */
describe.each(implementations)('%s presence', (_name, makeBackend) => {
  it('lists added connections per user and for everyone, oldest first, on every gateway', async () => {
    const backend = makeBackend();
    const [a, b] = [backend.writer('gw-a'), backend.writer('gw-b')];
    await b.renewLease(LEASE_MS);
    await a.renewLease(LEASE_MS);
    const added = [
      connection('c-3', 'alice', 'gw-a', '2030-01-01T00:00:03.000Z'),
      connection('c-1', 'bob', 'gw-a', '2030-01-01T00:00:01.000Z'),
      connection('c-2', 'alice', 'gw-b', '2030-01-01T00:00:02.000Z'),
      connection('c-0', 'alice', 'gw-a', '2030-01-01T00:00:03.000Z'),
    ];
    for (const c of added) await (c.gateway_id === 'gw-a' ? a : b).add(c);

    const reader = backend.reader();
    expect(await reader.gateways()).toEqual(['gw-a', 'gw-b']);
    expect(await reader.connections('alice')).toEqual([added[2], added[3], added[0]]);
    expect(await reader.connections('bob')).toEqual([added[1]]);
    expect(await reader.connections()).toEqual([added[1], added[2], added[3], added[0]]);
    expect(await reader.connections('nobody')).toEqual([]);
  });

  it('lists a connection added again once, as last added', async () => {
    const backend = makeBackend();
    const gateway = backend.writer('gw-a');
    await gateway.renewLease(LEASE_MS);
    await gateway.add(connection('c-1', 'alice', 'gw-a', '2030-01-01T00:00:01.000Z'));
    await gateway.add(connection('c-1', 'alice', 'gw-a', '2030-01-01T00:00:09.000Z'));
    expect(await backend.reader().connections('alice')).toEqual([connection('c-1', 'alice', 'gw-a', '2030-01-01T00:00:09.000Z')]);
    expect(await backend.reader().connections()).toHaveLength(1);
  });

  it('stops listing a removed connection, and ignores unknown ones', async () => {
    const backend = makeBackend();
    const gateway = backend.writer('gw-a');
    await gateway.renewLease(LEASE_MS);
    await gateway.add(connection('c-1', 'alice', 'gw-a'));
    await gateway.add(connection('c-2', 'alice', 'gw-a'));
    await gateway.remove({ connection_id: 'c-1', user_id: 'alice' });
    await gateway.remove({ connection_id: 'c-1', user_id: 'alice' });
    await gateway.remove({ connection_id: 'never', user_id: 'nobody' });
    expect(ids(await backend.reader().connections('alice'))).toEqual(['c-2']);
    expect(ids(await backend.reader().connections())).toEqual(['c-2']);
  });

  it('lists a gateway and its connections only while its lease lives', async () => {
    const backend = makeBackend();
    const reader = backend.reader();
    const [a, b] = [backend.writer('gw-a'), backend.writer('gw-b')];
    await a.add(connection('c-a', 'alice', 'gw-a'));
    await b.renewLease(10 * LEASE_MS);
    await b.add(connection('c-b', 'alice', 'gw-b'));
    expect(await reader.gateways()).toEqual(['gw-b']);
    expect(ids(await reader.connections('alice'))).toEqual(['c-b']);

    await a.renewLease(LEASE_MS);
    expect(ids(await reader.connections('alice'))).toEqual(['c-a', 'c-b']);
    await backend.elapse(LEASE_MS - 1_000);
    expect(await reader.gateways()).toEqual(['gw-a', 'gw-b']);
    await a.renewLease(LEASE_MS);
    await backend.elapse(LEASE_MS - 1_000);
    expect(await reader.gateways()).toEqual(['gw-a', 'gw-b']);
    expect(ids(await reader.connections())).toEqual(['c-a', 'c-b']);

    await backend.elapse(1_000);
    expect(await reader.gateways()).toEqual(['gw-b']);
    expect(ids(await reader.connections('alice'))).toEqual(['c-b']);
    expect(ids(await reader.connections())).toEqual(['c-b']);
  });

  it('lists an expired gateway again when it renews before being reaped', async () => {
    const backend = makeBackend();
    const gateway = backend.writer('gw-a');
    await gateway.renewLease(LEASE_MS);
    await gateway.add(connection('c-1', 'alice', 'gw-a'));
    await backend.elapse(LEASE_MS);
    expect(await backend.reader().connections('alice')).toEqual([]);
    await gateway.renewLease(LEASE_MS);
    expect(await backend.reader().gateways()).toEqual(['gw-a']);
    expect(ids(await backend.reader().connections('alice'))).toEqual(['c-1']);
  });

  it('reaps the connections of expired gateways for good, and only theirs', async () => {
    const backend = makeBackend();
    const [dead, alsoDead, live] = [backend.writer('gw-dead'), backend.writer('gw-also-dead'), backend.writer('gw-live')];
    await dead.renewLease(LEASE_MS);
    await alsoDead.renewLease(LEASE_MS);
    await live.renewLease(10 * LEASE_MS);
    await dead.add(connection('c-1', 'alice', 'gw-dead'));
    await dead.add(connection('c-2', 'bob', 'gw-dead'));
    await alsoDead.add(connection('c-3', 'alice', 'gw-also-dead'));
    await live.add(connection('c-4', 'alice', 'gw-live'));
    await backend.elapse(LEASE_MS);

    expect(await live.reapDead()).toBe(3);
    expect(await live.reapDead()).toBe(0);
    await dead.renewLease(LEASE_MS);
    const reader = backend.reader();
    expect(await reader.gateways()).toEqual(['gw-dead', 'gw-live']);
    expect(ids(await reader.connections('alice'))).toEqual(['c-4']);
    expect(await reader.connections('bob')).toEqual([]);
    expect(ids(await reader.connections())).toEqual(['c-4']);
  });

  it('unregisters one gateway at once, idempotently, leaving the others listed', async () => {
    const backend = makeBackend();
    const [leaving, staying] = [backend.writer('gw-leaving'), backend.writer('gw-staying')];
    await leaving.renewLease(LEASE_MS);
    await staying.renewLease(LEASE_MS);
    await leaving.add(connection('c-1', 'alice', 'gw-leaving'));
    await staying.add(connection('c-2', 'alice', 'gw-staying'));

    await leaving.unregister();
    await leaving.unregister();
    const reader = backend.reader();
    expect(await reader.gateways()).toEqual(['gw-staying']);
    expect(ids(await reader.connections('alice'))).toEqual(['c-2']);
    expect(ids(await reader.connections())).toEqual(['c-2']);
    expect(await staying.reapDead()).toBe(0);
    await leaving.renewLease(LEASE_MS);
    expect(ids(await reader.connections())).toEqual(['c-2']);
  });
});
