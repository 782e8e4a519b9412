import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCodes } from '@tidings/protocol';
import { TidingsClient } from './client.ts';
import type { TidingsError } from './errors.ts';
import type { StateChange } from './events.ts';
import type { TidingsClientOptions } from './options.ts';
import { jwtExpiry } from './token.ts';
import { cleanupAfterEach, startGateway } from './testing/cleanup.ts';
import { fakeJwt, waitFor, type FakeGateway, type FakeGatewayOptions } from './testing/fake-gateway.ts';

const cleanup = cleanupAfterEach();
const gateway = (options: FakeGatewayOptions = {}) => startGateway(cleanup, options);

/** A client against `fake` with fast backoff, plus everything it emits. */
function connect(fake: FakeGateway, options: Partial<TidingsClientOptions> = {}) {
  let tokens = 0;
  const client = new TidingsClient({
    url: fake.url,
    getToken: () => fakeJwt({ n: ++tokens }),
    WebSocket,
    backoff: { baseMs: 20, capMs: 100 },
    ...options,
  });
  const seen = { seqs: [] as number[], errors: [] as TidingsError[], states: [] as StateChange[], unread: [] as number[] };
  client.on('notification', (n) => seen.seqs.push(n.seq));
  client.on('error', (e) => seen.errors.push(e));
  client.on('state', (s) => seen.states.push(s));
  client.on('unread_count', (count) => seen.unread.push(count));
  cleanup.push(() => client.close());
  client.connect();
  return { client, seen };
}

describe('TidingsClient over WebSocket', () => {
  it('sends the token as the bearer subprotocol, starts at the newest seq, and delivers live notifications', async () => {
    const fake = await gateway();
    fake.add({ live: false });
    fake.add({ live: false });
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'open', 'open');
    expect(fake.ws[0]!.protocol).toMatch(/^bearer\./);
    expect(fake.ws[0]!.url.searchParams.has('token')).toBe(false);
    expect(fake.ws[0]!.since).toBeUndefined();
    expect(client.lastSeq).toBe(2);
    expect(seen.unread).toEqual([2]);
    fake.add();
    fake.add();
    await waitFor(() => seen.seqs.length === 2, 'two notifications');
    expect(seen.seqs).toEqual([3, 4]);
    expect(seen.states.map((s) => `${s.state}/${s.transport}`)).toEqual(['connecting/ws', 'open/ws']);
  });

  it('counts each new live notification as unread, and a replay not again: the count stays the server’s', async () => {
    const fake = await gateway({ replayOverlap: 2 });
    fake.add({ live: false });
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'open', 'open');
    fake.add();
    fake.add();
    await waitFor(() => seen.seqs.length === 2, 'two live notifications');
    expect(seen.unread).toEqual([1, 2, 3]);
    fake.add({ live: false });
    fake.closeAll(closeCodes.slowConsumer, 'slow consumer');
    await waitFor(() => seen.seqs.length === 3, 'the replay');
    // The new connection's count (4) already covers the replayed seq 4, and the overlap (2, 3).
    expect(seen.unread).toEqual([1, 2, 3, 4]);
  });

  it('delivers exactly once and in order across a forced reconnect with an overlapping replay', async () => {
    const fake = await gateway({ replayOverlap: 3 });
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'open', 'open');
    for (let i = 0; i < 5; i++) fake.add();
    await waitFor(() => seen.seqs.length === 5, 'five live notifications');
    // Two more are committed while the socket dies mid-stream: the client must fetch them on resume.
    fake.add({ live: false });
    fake.add({ live: false });
    fake.closeAll(closeCodes.slowConsumer, 'slow consumer');
    await waitFor(() => fake.ws.length === 2 && seen.seqs.length === 7, 'the resume');
    expect(fake.ws[1]!.since).toBe(5);
    fake.add();
    await waitFor(() => seen.seqs.length === 8, 'a live one after the resume');
    expect(seen.seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(client.lastSeq).toBe(8);
    expect(seen.states.find((s) => s.state === 'reconnecting')).toMatchObject({ code: closeCodes.slowConsumer });
  });

  it('resumes from options.since on the first connection', async () => {
    const fake = await gateway();
    for (let i = 0; i < 4; i++) fake.add({ live: false });
    const { seen } = connect(fake, { since: 2 });
    await waitFor(() => seen.seqs.length === 2, 'the replay');
    expect(fake.ws[0]!.since).toBe(2);
    expect(seen.seqs).toEqual([3, 4]);
  });

  it('sees a seq gap, asks for a resume from the last seq, and delivers the missing one first', async () => {
    const fake = await gateway();
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'open', 'open');
    fake.add();
    fake.add();
    fake.add({ live: false }); // seq 3 is lost on the live path
    fake.add();
    await waitFor(() => seen.seqs.length === 4, 'the gap repaired');
    expect(seen.seqs).toEqual([1, 2, 3, 4]);
    expect(fake.received.filter((f) => f.type === 'resume')).toEqual([{ type: 'resume', since: 2 }]);
  });

  it('advances past a deleted notification once resume_complete confirms it is gone', async () => {
    const fake = await gateway();
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'open', 'open');
    fake.add();
    fake.add({ live: false, deleted: true });
    fake.add();
    await waitFor(() => seen.seqs.length === 2, 'delivery past the hole');
    expect(seen.seqs).toEqual([1, 3]);
    expect(client.lastSeq).toBe(3);
    fake.add();
    await waitFor(() => seen.seqs.length === 3, 'the next live one');
    expect(fake.received.filter((f) => f.type === 'resume')).toHaveLength(1);
  });

  it('emits error for bad frames and keeps going on the same connection', async () => {
    const fake = await gateway();
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'open', 'open');
    fake.sendRaw('not json');
    fake.sendRaw(JSON.stringify({ type: 'bogus' }));
    fake.sendRaw(JSON.stringify({ type: 'notification', notification: { seq: 1 } }));
    fake.broadcast({ type: 'error', code: 'rate_limited', message: 'slow down' });
    fake.add();
    await waitFor(() => seen.seqs.length === 1, 'the good frame after the bad ones');
    expect(seen.errors.map((e) => e.code)).toEqual(['invalid_frame', 'invalid_frame', 'invalid_frame', 'server_error']);
    expect(seen.errors[3]!.details).toEqual({ code: 'rate_limited' });
    expect(fake.ws).toHaveLength(1);
    expect(client.state).toBe('open');
  });

  it('reports a throwing listener as an error and still delivers to the others', async () => {
    const fake = await gateway();
    const { client, seen } = connect(fake);
    client.on('notification', () => {
      throw new Error('app bug');
    });
    await waitFor(() => client.state === 'open', 'open');
    fake.add();
    fake.add();
    await waitFor(() => seen.seqs.length === 2, 'both notifications');
    expect(seen.errors.map((e) => e.code)).toEqual(['listener_failed', 'listener_failed']);
  });

  it('sends an auth frame with a fresh token before exp, and reconnects after 4001 with a new token', async () => {
    const fake = await gateway();
    let issued = 0;
    const { client, seen } = connect(fake, {
      getToken: () => fakeJwt({ n: ++issued, exp: (Date.now() + 1_500) / 1000 }),
      refreshBeforeMs: 1_000,
    });
    await waitFor(() => client.state === 'open', 'open');
    const first = fake.ws[0]!.token;
    await waitFor(() => fake.received.some((f) => f.type === 'auth'), 'the auth frame', 2_000);
    expect(Date.now()).toBeLessThan(jwtExpiry(first!)!);
    const auth = fake.received.find((f) => f.type === 'auth')!;
    expect(auth.token).not.toBe(first);
    expect(JSON.parse(Buffer.from(String(auth.token).split('.')[1]!, 'base64url').toString())).toMatchObject({ n: 2 });
    fake.closeAll(closeCodes.tokenExpired, 'token expired');
    await waitFor(() => fake.ws.length === 2 && client.state === 'open', 'the reconnect');
    expect(fake.ws[1]!.token).not.toBe(first);
    expect(fake.ws[1]!.token).not.toBe(auth.token);
    expect(seen.states.find((s) => s.state === 'reconnecting')?.code).toBe(closeCodes.tokenExpired);
  });

  it('stops on 4003 and reports the admin disconnect', async () => {
    const fake = await gateway();
    const { client, seen } = connect(fake);
    const admin: Array<{ code: number; reason: string }> = [];
    client.on('disconnected_by_admin', (info) => admin.push(info));
    await waitFor(() => client.state === 'open', 'open');
    fake.closeAll(closeCodes.forcedDisconnect, 'bye');
    await waitFor(() => client.state === 'closed', 'closed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.ws).toHaveLength(1);
    expect(admin).toEqual([{ code: 4003, reason: 'bye' }]);
    expect(seen.states.at(-1)).toMatchObject({ state: 'closed', code: 4003 });
  });

  it('waits and retries after 4008 (too many connections) for as long as it takes, keeping its token', async () => {
    let handshakes = 0;
    const fake = await gateway({ acceptToken: () => ++handshakes > 3, refuseCode: closeCodes.tooManyConnections });
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'open', 'open after three refusals');
    expect(fake.ws).toHaveLength(4);
    expect(seen.errors).toEqual([]);
    const retries = seen.states.filter((s) => s.state === 'reconnecting');
    expect(retries.map((s) => s.code)).toEqual([4008, 4008, 4008]);
  });

  it('retries a refused token once with a fresh one, then stops with unauthorized', async () => {
    const fake = await gateway({ acceptToken: () => false });
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'closed' && seen.errors.length > 0, 'the stop');
    expect(fake.ws).toHaveLength(2);
    expect(fake.ws[0]!.token).not.toBe(fake.ws[1]!.token);
    expect(seen.errors.map((e) => e.code)).toEqual(['unauthorized']);
  });

  it('stops at once when the provider answers the token the gateway just refused', async () => {
    const fake = await gateway({ acceptToken: () => false });
    const { client, seen } = connect(fake, { getToken: () => 'same.token.always' });
    await waitFor(() => client.state === 'closed' && seen.errors.length > 0, 'the stop');
    expect(fake.ws).toHaveLength(1);
    expect(seen.errors.map((e) => e.code)).toEqual(['unauthorized']);
  });

  it('drops a silent connection after heartbeatTimeoutMs and resumes on a new one', async () => {
    const fake = await gateway();
    const { client, seen } = connect(fake, { heartbeatTimeoutMs: 200 });
    await waitFor(() => client.state === 'open', 'open');
    fake.add();
    await waitFor(() => seen.seqs.length === 1, 'one notification');
    // Pings go out every heartbeatTimeoutMs / 2, so a healthy gateway always has something to answer.
    await waitFor(() => fake.received.some((f) => f.type === 'ping'), 'a ping');
    fake.muted = true;
    await waitFor(() => fake.ws.length === 2, 'the reconnect', 2_000);
    fake.muted = false;
    expect(fake.ws[1]!.since).toBe(1);
  });

  it('sends actions over the open WebSocket and re-subscribes after a reconnect', async () => {
    const fake = await gateway();
    const { client, seen } = connect(fake);
    await waitFor(() => client.state === 'open', 'open');
    client.subscribe(['comment.created']);
    await client.markRead(['00000000-0000-4000-8000-000000000001']);
    await client.markAllRead('comment.created');
    await waitFor(() => fake.received.length >= 3, 'three frames');
    expect(fake.received.filter((f) => f.type !== 'ping')).toEqual([
      { type: 'subscribe', types: ['comment.created'] },
      { type: 'mark_read', ids: ['00000000-0000-4000-8000-000000000001'] },
      { type: 'mark_all_read', type_filter: 'comment.created' },
    ]);
    await expect(client.markRead(['not-a-uuid'])).rejects.toMatchObject({ code: 'invalid_argument' });
    // The filter also applies on the client: a gateway that ignored it would still not reach the app.
    fake.add({ type: 'like.created' });
    fake.add({ type: 'comment.created' });
    await waitFor(() => client.lastSeq === 2, 'both seqs');
    expect(seen.seqs).toEqual([2]);
    fake.closeAll(closeCodes.gatewayDraining, 'draining');
    await waitFor(() => fake.ws.length === 2 && fake.ws[1]!.received.some((f) => f.type === 'subscribe'), 're-subscribe');
    expect(fake.ws[1]!.received.find((f) => f.type === 'subscribe')).toEqual({ type: 'subscribe', types: ['comment.created'] });
  });

  it('reports no_transport when neither WebSocket nor EventSource exists', async () => {
    const fake = await gateway();
    const { client, seen } = connect(fake, { WebSocket: undefined, EventSource: undefined });
    expect(client.state).toBe('closed');
    expect(seen.errors.map((e) => e.code)).toEqual(['no_transport']);
  });

  it('close() is idempotent and stops reconnecting', async () => {
    const fake = await gateway();
    const { client } = connect(fake);
    await waitFor(() => client.state === 'open', 'open');
    const closing = client.close();
    expect(client.close()).toBe(closing);
    await closing;
    fake.add();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.ws).toHaveLength(1);
    expect(client.state).toBe('closed');
  });
});
