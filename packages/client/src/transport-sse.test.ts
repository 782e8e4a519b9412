import { afterEach, describe, expect, it } from 'vitest';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { closeCodes } from '@tidings/protocol';
import { TidingsClient } from './client.ts';
import type { TidingsError } from './errors.ts';
import type { StateChange } from './events.ts';
import { FakeGateway, fakeJwt, waitFor } from './testing/fake-gateway.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('SSE fallback', () => {
  it('falls back to SSE when WebSocket upgrades are refused, and resumes with since without duplicates', async () => {
    const fake = await FakeGateway.start({ refuseWebSocket: true, replayOverlap: 2 });
    cleanup.push(() => fake.stop());
    let issued = 0;
    const client = new TidingsClient({
      url: fake.url,
      getToken: () => fakeJwt({ n: ++issued }),
      WebSocket,
      EventSource,
      wsFailuresBeforeFallback: 2,
      backoff: { baseMs: 20, capMs: 100 },
    });
    cleanup.push(() => client.close());
    const seqs: number[] = [];
    const states: StateChange[] = [];
    client.on('notification', (n) => seqs.push(n.seq));
    client.on('state', (s) => states.push(s));
    client.connect();

    await waitFor(() => client.state === 'open', 'open over SSE');
    expect(client.transport).toBe('sse');
    expect(fake.sse).toHaveLength(1);
    expect(fake.sse[0]!.token).toMatch(/^ey/);
    // The stream's URL carries a one-time ticket, never the token.
    expect(fake.sse[0]!.url.searchParams.get('token')).toBeNull();
    expect(fake.sse[0]!.url.searchParams.get('ticket')).toMatch(/^ticket-/);
    expect(states.map((s) => `${s.state}/${s.transport}`)).toEqual(['connecting/ws', 'reconnecting/ws', 'reconnecting/sse', 'open/sse']);

    fake.add();
    fake.add();
    fake.add();
    await waitFor(() => seqs.length === 3, 'three over SSE');
    fake.add({ live: false });
    fake.closeAll(closeCodes.gatewayDraining, 'draining');
    await waitFor(() => fake.sse.length === 2 && seqs.length === 4, 'the resumed stream');
    expect(fake.sse[1]!.since).toBe(3);
    expect(fake.sse[1]!.token).not.toBe(fake.sse[0]!.token);
    fake.add();
    await waitFor(() => seqs.length === 5, 'live after resume');
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('repairs a gap over SSE by reopening the stream from lastSeq', async () => {
    const fake = await FakeGateway.start();
    cleanup.push(() => fake.stop());
    const client = new TidingsClient({ url: fake.url, getToken: () => fakeJwt({}), EventSource, transport: 'sse' });
    cleanup.push(() => client.close());
    const seqs: number[] = [];
    client.on('notification', (n) => seqs.push(n.seq));
    client.connect();
    await waitFor(() => client.state === 'open', 'open');
    fake.add();
    fake.add({ live: false });
    fake.add();
    await waitFor(() => seqs.length === 3, 'the gap repaired');
    expect(seqs).toEqual([1, 2, 3]);
    expect(fake.sse.map((r) => r.since)).toEqual([undefined, 1]);
  });

  it('a token refused for a connect ticket follows the refused-token policy and stops; no stream opens', async () => {
    const fake = await FakeGateway.start({ acceptToken: () => false });
    cleanup.push(() => fake.stop());
    const client = new TidingsClient({ url: fake.url, getToken: () => fakeJwt({ r: Math.random() }), EventSource, transport: 'sse' });
    cleanup.push(() => client.close());
    const errors: TidingsError[] = [];
    client.on('error', (e) => errors.push(e));
    client.connect();
    await waitFor(() => client.state === 'closed' && errors.length > 0, 'the stop');
    expect(fake.sse).toHaveLength(0);
    expect(errors.map((e) => e.code)).toEqual(['unauthorized']);
  });

  it('waits and retries a stream refused with 429 (too many connections), as for close 4008', async () => {
    let streams = 0;
    const fake = await FakeGateway.start({ tooManyStreams: () => ++streams <= 2 });
    cleanup.push(() => fake.stop());
    const client = new TidingsClient({ url: fake.url, getToken: () => fakeJwt({}), EventSource, transport: 'sse', backoff: { baseMs: 20, capMs: 100 } });
    cleanup.push(() => client.close());
    const errors: TidingsError[] = [];
    const states: StateChange[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('state', (s) => states.push(s));
    client.connect();
    await waitFor(() => client.state === 'open', 'open after two refusals');
    expect(fake.sse).toHaveLength(3);
    expect(errors).toEqual([]);
    expect(states.filter((s) => s.state === 'reconnecting').map((s) => s.code)).toEqual([closeCodes.tooManyConnections, closeCodes.tooManyConnections]);
  });

  it('sends actions over REST while on SSE', async () => {
    const fake = await FakeGateway.start();
    cleanup.push(() => fake.stop());
    const calls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const path = new URL(input instanceof Request ? input.url : input).pathname;
      if (path === '/v1/connect-tickets') return globalThis.fetch(input, init);
      calls.push(`${init?.method} ${path}`);
      return new Response(null, { status: 204 });
    };
    const client = new TidingsClient({ url: fake.url, getToken: () => fakeJwt({}), EventSource, transport: 'sse', fetch });
    cleanup.push(() => client.close());
    client.connect();
    await waitFor(() => client.state === 'open', 'open');
    await client.markRead(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
    expect(calls.sort()).toEqual([
      'POST /v1/notifications/00000000-0000-4000-8000-000000000001/read',
      'POST /v1/notifications/00000000-0000-4000-8000-000000000002/read',
    ]);
  });
});
