import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCodes } from '@tidings/protocol';
import { TidingsClient } from './client.ts';
import type { TidingsError } from './errors.ts';
import type { StateChange } from './events.ts';
import type { TidingsClientOptions } from './options.ts';
import { cleanupAfterEach, startGateway } from './testing/cleanup.ts';
import { fakeJwt, waitFor, type FakeGateway, type FakeGatewayOptions } from './testing/fake-gateway.ts';
import { FakeChannels, FakeLocks } from './testing/fake-tabs.ts';

const cleanup = cleanupAfterEach();
const gateway = (options: FakeGatewayOptions = {}) => startGateway(cleanup, options);

/** One browser: the locks and channels its tabs share. */
function browser() {
  return { locks: new FakeLocks(), channels: new FakeChannels() };
}

type Browser = ReturnType<typeof browser>;

/** A tab of `tabs`: a client against `fake`, plus everything it emits. */
function tab(fake: FakeGateway, tabs: Browser, options: Partial<TidingsClientOptions> = {}) {
  const client = new TidingsClient({
    url: fake.url,
    getToken: () => fakeJwt({}),
    WebSocket,
    backoff: { baseMs: 20, capMs: 100 },
    locks: tabs.locks,
    BroadcastChannel: tabs.channels.BroadcastChannel,
    ...options,
  });
  const seen = { seqs: [] as number[], types: [] as string[], unread: [] as number[], states: [] as StateChange[], errors: [] as TidingsError[] };
  client.on('notification', (n) => {
    seen.seqs.push(n.seq);
    seen.types.push(n.type);
  });
  client.on('unread_count', (count) => seen.unread.push(count));
  client.on('state', (s) => seen.states.push(s));
  client.on('error', (e) => seen.errors.push(e));
  cleanup.push(() => client.close());
  client.connect();
  return { client, seen };
}

/** Two tabs of one browser: `a` connected first and leads, then `b` joined it. */
async function leaderAndFollower(fake: FakeGateway, options: Partial<TidingsClientOptions> = {}) {
  const tabs = browser();
  const a = tab(fake, tabs, options);
  await waitFor(() => a.client.state === 'open', 'the leader open');
  const b = tab(fake, tabs, options);
  await waitFor(() => b.client.state === 'open', 'the follower joined');
  return { a, b };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('tabs sharing one connection', () => {
  it('holds one gateway connection for all tabs, delivers to each once, and gives a late tab its state at once', async () => {
    const fake = await gateway();
    fake.add({ live: false });
    fake.add({ live: false });
    const tabs = browser();
    const a = tab(fake, tabs);
    await waitFor(() => a.client.state === 'open', 'the leader open');
    const b = tab(fake, tabs);
    await waitFor(() => b.client.state === 'open' && b.seen.unread.length > 0, 'the follower joined');
    expect(b.seen.unread).toEqual([2]);
    expect(b.client.lastSeq).toBe(2);
    expect(b.client.transport).toBe('ws');
    fake.add();
    fake.add();
    await waitFor(() => a.seen.seqs.length === 2 && b.seen.seqs.length === 2, 'both tabs got both');
    expect(a.seen.seqs).toEqual([3, 4]);
    expect(b.seen.seqs).toEqual([3, 4]);
    expect(fake.ws).toHaveLength(1);
    expect(fake.openConnections).toBe(1);
  });

  it('hands over when the leader closes: the next tab resumes from its lastSeq, so nothing is lost or shown twice', async () => {
    const fake = await gateway({ replayOverlap: 2 });
    const tabs = browser();
    const a = tab(fake, tabs);
    await waitFor(() => a.client.state === 'open', 'the leader open');
    const b = tab(fake, tabs);
    const c = tab(fake, tabs);
    await waitFor(() => b.client.state === 'open' && c.client.state === 'open', 'the followers joined');
    for (let i = 0; i < 3; i++) fake.add();
    await waitFor(() => [a, b, c].every((t) => t.seen.seqs.length === 3), 'three notifications everywhere');
    await a.client.close();
    // Committed while no tab holds a connection: only the replay can bring it.
    fake.add();
    await waitFor(() => fake.ws.length === 2 && fake.openConnections === 1, 'the new leader connected');
    expect(fake.ws[1]!.since).toBe(3);
    fake.add();
    await waitFor(() => b.seen.seqs.length === 5 && c.seen.seqs.length === 5, 'the handover and a live one');
    expect(b.seen.seqs).toEqual(range(1, 5));
    expect(c.seen.seqs).toEqual(range(1, 5));
    expect(a.seen.seqs).toEqual(range(1, 3));
    expect(a.client.state).toBe('closed');
  });

  it('sends a follower’s marks over REST and the leader’s over its socket, and keeps type filters in each tab', async () => {
    const fake = await gateway();
    const requests: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      requests.push(`${init?.method} ${new URL(input instanceof Request ? input.url : input).pathname}`);
      return new Response(null, { status: 204 });
    };
    const { a, b } = await leaderAndFollower(fake, { fetch });
    b.client.subscribe(['like.created']);
    const id = '00000000-0000-4000-8000-000000000001';
    await b.client.markRead([id]);
    await a.client.markRead([id]);
    expect(requests).toEqual([`POST /v1/notifications/${id}/read`]);
    fake.add({ type: 'comment.created' });
    fake.add({ type: 'like.created' });
    await waitFor(() => a.seen.seqs.length === 2 && b.client.lastSeq === 2, 'both notifications');
    expect(b.seen.types).toEqual(['like.created']);
    expect(a.seen.types).toEqual(['comment.created', 'like.created']);
    expect(fake.received.filter((f) => f.type !== 'ping')).toEqual([{ type: 'mark_read', ids: [id] }]);
  });

  it('gets a tab that joins with an older since its replay through the leader, and nothing twice', async () => {
    const fake = await gateway({ replayOverlap: 1 });
    const tabs = browser();
    const a = tab(fake, tabs);
    await waitFor(() => a.client.state === 'open', 'the leader open');
    for (let i = 0; i < 4; i++) fake.add();
    await waitFor(() => a.seen.seqs.length === 4, 'four notifications');
    const b = tab(fake, tabs, { since: 1 });
    await waitFor(() => b.seen.seqs.length === 3, 'the replay after since');
    fake.add();
    await waitFor(() => a.seen.seqs.length === 5 && b.seen.seqs.length === 4, 'a live one');
    expect(b.seen.seqs).toEqual(range(2, 5));
    expect(a.seen.seqs).toEqual(range(1, 5));
    expect(fake.received.filter((f) => f.type === 'resume')).toEqual([{ type: 'resume', since: 1 }]);
    expect(fake.ws).toHaveLength(1);
  });

  it('repairs a seq gap in every tab with the leader’s replay', async () => {
    const fake = await gateway();
    const { a, b } = await leaderAndFollower(fake);
    fake.add();
    fake.add({ live: false });
    fake.add();
    await waitFor(() => a.seen.seqs.length === 3 && b.seen.seqs.length === 3, 'the gap repaired');
    expect(a.seen.seqs).toEqual([1, 2, 3]);
    expect(b.seen.seqs).toEqual([1, 2, 3]);
    // The follower's own request is answered by the replay already on its way, or by one more.
    expect(fake.received.filter((f) => f.type === 'resume').length).toBeLessThanOrEqual(2);
  });

  it('shows the leader’s terminal close in every tab, and a follower’s connect() starts it again', async () => {
    const fake = await gateway();
    const { a, b } = await leaderAndFollower(fake);
    const admin: unknown[] = [];
    b.client.on('disconnected_by_admin', (info) => admin.push(info));
    fake.closeAll(closeCodes.forcedDisconnect, 'bye');
    await waitFor(() => b.client.state === 'closed' && a.client.state === 'closed', 'both closed');
    expect(admin).toEqual([{ code: closeCodes.forcedDisconnect, reason: 'bye' }]);
    b.client.connect();
    await waitFor(() => a.client.state === 'open' && b.client.state === 'open', 'both open again');
    expect(fake.ws).toHaveLength(2);
  });

  it('lets a follower leave without disturbing the leader, and a leader leave with no tab to take over', async () => {
    const fake = await gateway();
    const { a, b } = await leaderAndFollower(fake);
    await b.client.close();
    expect(b.client.state).toBe('closed');
    fake.add();
    await waitFor(() => a.seen.seqs.length === 1, 'the leader still delivers');
    expect(b.seen.seqs).toEqual([]);
    await a.client.close();
    await waitFor(() => fake.openConnections === 0, 'the socket closed');
    expect(fake.ws).toHaveLength(1);
  });

  it('keeps a connection per tab for different users and with shareConnection: false', async () => {
    const fake = await gateway();
    const tabs = browser();
    const alice = tab(fake, tabs);
    const bob = tab(fake, tabs, { getToken: () => fakeJwt({ sub: 'bob' }) });
    const solo = tab(fake, tabs, { shareConnection: false });
    await waitFor(() => [alice, bob, solo].every((t) => t.client.state === 'open'), 'all open');
    expect(fake.openConnections).toBe(3);
  });
});
