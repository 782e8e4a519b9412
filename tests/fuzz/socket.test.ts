import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientMessage, FrameSocket, reactionTo, type ClientMessage, type Reaction } from './socket-frames.ts';
import { admitted, credential, junkTicket, openSse, sinceOk, sinceValue, type Credential } from './streams.ts';
import { checkProperty, FuzzSystem, runs, tokenFor } from './system.ts';

// The gateways' inputs: connection parameters of WebSocket and SSE, and client frames over an
// authenticated WebSocket. Each bad frame gets an error frame of a documented code or a documented
// close code (never 1011, never a crash), and afterwards the same user still connects and gets a
// notification created over REST.

/** Runs of up to 24 frames, each over a fresh connection. */
const FRAME_RUNS = runs(250);
/** Floods of up to three times the message limit. */
const FLOOD_RUNS = runs(12);
const HANDSHAKES = runs(150);
const SSE_REQUESTS = runs(200);
/** `WS_MESSAGES_PER_10S` of the second gateway, where floods go; the first has one no run reaches. */
const FLOOD_LIMIT = 20;

let system: FuzzSystem;
beforeAll(async () => {
  // Handshakes per address are not under test here: every case comes from 127.0.0.1.
  const handshakes = { GATEWAY_HANDSHAKES_PER_IP_PER_MINUTE: '1000000' };
  system = await FuzzSystem.start({
    gateways: [
      { ...handshakes, WS_MESSAGES_PER_10S: '1000000' },
      { ...handshakes, WS_MESSAGES_PER_10S: String(FLOOD_LIMIT) },
    ],
  });
});
afterAll(async () => {
  await system?.close();
});

let users = 0;
/** A user of its own per run, so no run meets another's connections or notifications. */
const freshUser = () => `ws-fuzz-${++users}`;
const gatewayUrl = (index: number) => system.url(`gateway-${index + 1}`);

function wsUrl(gateway: number, params: Record<string, string | undefined>): string {
  const url = new URL('/v1/ws', gatewayUrl(gateway).replace(/^http/, 'ws'));
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

async function createFor(user: string, title: string): Promise<void> {
  const response = await fetch(`${system.url('api')}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenFor(system.env, 'service', 'fuzz-producer')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: { user_ids: [user] }, type: 'fuzz.check', title }),
  });
  expect(response.status, await response.text()).toBe(201);
}

let checks = 0;
/** A fresh connection of `user` is greeted and gets a notification created over REST: the gateway still serves. */
async function expectServes(user: string, gateway: number): Promise<void> {
  const socket = new FrameSocket(wsUrl(gateway, { token: tokenFor(system.env, 'user', user) }));
  try {
    expect(
      await socket.until(() => socket.count('connection_established') === 1),
      `gateway-${gateway + 1} greets ${user}: ${JSON.stringify(socket.frames)} close ${socket.closeCode}`,
    ).toBe(true);
    const title = `check ${++checks}`;
    await createFor(user, title);
    const arrived = () =>
      socket.frames.some((frame) => frame.type === 'notification' && (frame as { notification: { title: string } }).notification.title === title);
    expect(await socket.until(arrived), `gateway-${gateway + 1} delivers to ${user}`).toBe(true);
  } finally {
    socket.close();
  }
}

function send(socket: FrameSocket, message: ClientMessage, user: string): void {
  const maxPayload = system.env.config.WS_MAX_PAYLOAD_BYTES;
  if (message.kind === 'text') socket.sendText(message.text);
  else if (message.kind === 'binary') socket.sendBytes(message.bytes, true);
  else if (message.kind === 'bad-utf8') socket.sendBytes(message.bytes, false);
  else if (message.kind === 'oversized') socket.sendText(JSON.stringify({ type: 'ping', pad: 'p'.repeat(maxPayload + message.extra) }));
  else socket.sendText(JSON.stringify({ type: 'auth', token: tokenFor(system.env, message.token, message.sameUser ? user : `${user}-other`) }));
}

/**
 * Sends `messages` then a ping, stopping at the first that closes the connection, and checks the
 * gateway did what `reactions` say: the error codes in order, every answer, or the close code.
 */
async function expectReactions(socket: FrameSocket, messages: ClientMessage[], reactions: Reaction[], user: string, what: string): Promise<void> {
  const errors: string[] = [];
  const answers = { pong: 0, subscription_updated: 0, resume_complete: 0 };
  let close: number | undefined;
  for (const [index, message] of messages.entries()) {
    const reaction = reactions[index]!;
    send(socket, message, user);
    if ('close' in reaction) {
      close = reaction.close;
      break;
    }
    if ('error' in reaction) errors.push(reaction.error);
    else if (reaction.answer !== 'nothing') answers[reaction.answer]++;
  }
  const done = () =>
    close === undefined
      ? socket.errorCodes().length >= errors.length && Object.entries(answers).every(([type, count]) => socket.count(type) >= count)
      : socket.closeCode !== undefined;
  const finished = await socket.until(done);
  const seen = `${what}: frames ${JSON.stringify(socket.frames).slice(0, 1_500)}, close ${socket.closeCode}`;
  expect(finished, `timed out; ${seen}`).toBe(true);
  expect(socket.closeCode, seen).toBe(close);
  expect(socket.errorCodes(), seen).toEqual(errors);
}

const describeMessages = (messages: ClientMessage[]) =>
  JSON.stringify(messages, (_key, value) => (typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}…(${value.length})` : value));

let frameRuns = 0;
it('client frames get a documented error frame or close code, and the gateway keeps serving', async () => {
  const maxPayload = system.env.config.WS_MAX_PAYLOAD_BYTES;
  const closes: Record<string, number> = {};
  let sent = 0;
  const property = fc.asyncProperty(fc.array(clientMessage(), { minLength: 1, maxLength: 24 }), async (messages) => {
    // Once a process is gone the run that killed it must stay the counterexample.
    if (!system.alive()) return;
    // A few users in turn: each has the notifications of its earlier runs' checks to resume from.
    const user = `ws-frames-${++frameRuns % 8}`;
    const socket = new FrameSocket(wsUrl(0, { token: tokenFor(system.env, 'user', user) }));
    expect(await socket.until(() => socket.count('connection_established') === 1), `greeting; close ${socket.closeCode}`).toBe(true);
    const reactions = [...messages.map((message) => reactionTo(message, maxPayload)), reactionTo({ kind: 'text', text: '{"type":"ping"}' }, maxPayload)];
    const closing = reactions.findIndex((reaction) => 'close' in reaction);
    sent += closing === -1 ? reactions.length : closing + 1;
    await expectReactions(socket, [...messages, { kind: 'text', text: '{"type":"ping"}' }], reactions, user, describeMessages(messages));
    closes[socket.closeCode ?? 'open'] = (closes[socket.closeCode ?? 'open'] ?? 0) + 1;
    socket.close();
    await expectServes(user, frameRuns % 2);
  });
  await checkProperty('WebSocket frames', property, FRAME_RUNS);
  console.info(`fuzz: WebSocket frames: ${sent} frames over ${FRAME_RUNS} connections; closes ${JSON.stringify(closes)}`);
  await system.expectHealthy();
}, 600_000);

it('a flood gets rate_limited past the limit and 4029 past twice the limit', async () => {
  const maxPayload = system.env.config.WS_MAX_PAYLOAD_BYTES;
  const frame = fc.constantFrom('{"type":"ping"}', '{', '{"type":"nope"}', '{"type":"subscribe","types":["a"]}', '{"type":"resume","since":-1}');
  let sent = 0;
  const property = fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: FLOOD_LIMIT * 3, size: 'max' }), async (texts) => {
    if (!system.alive()) return;
    const user = freshUser();
    const socket = new FrameSocket(wsUrl(1, { token: tokenFor(system.env, 'user', user) }));
    expect(await socket.until(() => socket.count('connection_established') === 1)).toBe(true);
    const messages: ClientMessage[] = [...texts, '{"type":"ping"}'].map((text) => ({ kind: 'text', text }));
    // Every text frame counts: up to the limit each is handled, up to twice it is refused, then the connection closes.
    const reactions = messages.map((message, index): Reaction => {
      if (index < FLOOD_LIMIT) return reactionTo(message, maxPayload);
      return index < FLOOD_LIMIT * 2 ? { error: 'rate_limited' } : { close: 4029 };
    });
    sent += Math.min(messages.length, FLOOD_LIMIT * 2 + 1);
    await expectReactions(socket, messages, reactions, user, `${messages.length} frames`);
    socket.close();
    await expectServes(user, 1);
  });
  await checkProperty('WebSocket floods', property, FLOOD_RUNS);
  console.info(`fuzz: WebSocket floods: ${sent} frames over ${FLOOD_RUNS} connections`);
  await system.expectHealthy();
}, 600_000);

/** The token or ticket a case sends: a ticket is issued for `user` (and redeemed once first when it is to be a used one). */
async function credentialsOf(kind: Credential, user: string, junk: string | undefined): Promise<{ token?: string; ticket?: string }> {
  if (kind !== 'ticket' && kind !== 'used-ticket') return { token: tokenFor(system.env, kind, user), ticket: junk };
  const response = await fetch(`${system.url('api')}/v1/connect-tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenFor(system.env, 'user', user)}` },
  });
  const { ticket } = (await response.json()) as { ticket: string };
  if (kind === 'used-ticket') expect((await openSse(system.service('gateway-1').port, `?ticket=${encodeURIComponent(ticket)}`, {})).status).toBe(200);
  return { ticket };
}

it('WebSocket connection parameters: greeted when valid, else closed 1008', async () => {
  const outcomes: Record<string, number> = {};
  const handshake = fc.record({
    credential,
    junkTicket,
    placement: fc.constantFrom('query', 'protocol', 'header'),
    since: sinceValue,
    extraProtocol: fc.option(fc.constantFrom('json', 'v1.tidings', 'bearer.'), { nil: undefined }),
    origin: fc.option(fc.constantFrom('http://localhost:3000', 'null', 'https://evil.example', 'not a url', 'http://[::1'), { nil: undefined }),
    gateway: fc.constantFrom(0, 1),
  });
  const property = fc.asyncProperty(handshake, async (c) => {
    if (!system.alive()) return;
    const { token, ticket } = await credentialsOf(c.credential, freshUser(), c.junkTicket);
    const headers: Record<string, string> = {};
    if (c.origin !== undefined) headers.origin = c.origin;
    if (c.placement === 'header' && token !== undefined) headers.authorization = `Bearer ${token}`;
    // The client offers other subprotocols only beside a bearer one: the gateway selects only bearer ones.
    const protocols = c.placement === 'protocol' && token !== undefined ? [...new Set([`bearer.${token}`, ...(c.extraProtocol ? [c.extraProtocol] : [])])] : [];
    const socket = new FrameSocket(wsUrl(c.gateway, { token: c.placement === 'query' ? token : undefined, since: c.since, ticket }), { protocols, headers });
    await socket.until(() => socket.count('connection_established') === 1);
    const established = socket.count('connection_established') === 1;
    const what = `${JSON.stringify(c)}: frames ${JSON.stringify(socket.frames)}, close ${socket.closeCode}, handshake ${socket.handshakeStatus}`;
    outcomes[established ? 'established' : String(socket.closeCode)] = (outcomes[established ? 'established' : String(socket.closeCode)] ?? 0) + 1;
    expect(socket.handshakeStatus, what).toBeUndefined();
    if (!established) expect(socket.closeCode, what).toBe(1008);
    const since = sinceOk(c.since);
    if (since !== undefined) expect(established, what).toBe(admitted(c.credential, c.junkTicket) && since);
    if (established && c.since !== undefined && c.since !== '') expect(await socket.until(() => socket.count('resume_complete') === 1), what).toBe(true);
    socket.close();
  });
  await checkProperty('WebSocket handshakes', property, HANDSHAKES);
  console.info(`fuzz: WebSocket handshakes: ${JSON.stringify(outcomes)}`);
  await expectServes(freshUser(), 0);
  await system.expectHealthy();
}, 600_000);

it('SSE: a stream when valid, else a 4xx in the JSON error shape, never a 5xx', async () => {
  const statuses: Record<number, number> = {};
  const sse = fc.record({
    credential,
    junkTicket,
    since: sinceValue,
    lastEventId: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('', '2', '0', '-1', 'abc', '1'.repeat(20), '\u00e9') },
    ),
    accept: fc.constantFrom('text/event-stream', 'application/json', '*/*', 'text/html'),
    origin: fc.option(fc.constantFrom('http://localhost:3000', 'null', 'https://evil.example'), { nil: undefined }),
    extra: fc.constantFrom('', '&token=', '&since=1&since=2', '&%ZZ=1', '&a[b]=c'),
    gateway: fc.constantFrom(0, 1),
  });
  const property = fc.asyncProperty(sse, async (c) => {
    if (!system.alive()) return;
    const { token, ticket } = await credentialsOf(c.credential, freshUser(), c.junkTicket);
    const params = new URLSearchParams();
    if (token !== undefined) params.set('token', token);
    if (ticket !== undefined) params.set('ticket', ticket);
    if (c.since !== undefined) params.set('since', c.since);
    const headers: Record<string, string> = { accept: c.accept };
    if (c.lastEventId !== undefined) headers['last-event-id'] = c.lastEventId;
    if (c.origin !== undefined) headers.origin = c.origin;
    const answer = await openSse(system.service(`gateway-${c.gateway + 1}`).port, `?${params}${c.extra}`, headers);
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const what = `${JSON.stringify(c)} answered ${answer.status} ${answer.text.slice(0, 300)}`;
    expect(answer.status, what).toBeLessThan(500);
    if (answer.status === 200) {
      expect(answer.contentType, what).toMatch(/^text\/event-stream/);
      expect(JSON.parse(answer.text).type, what).toBe('connection_established');
    } else {
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(answer.text).error.code, what).toBeTypeOf('string');
      expect(JSON.parse(answer.text).error.message, what).toBeTypeOf('string');
    }
    // A browser's EventSource resends its first URL on reconnect: Last-Event-ID wins over `since`.
    const since = sinceOk(c.lastEventId ?? c.since);
    if (since !== undefined) expect(answer.status === 200, what).toBe(admitted(c.credential, c.junkTicket) && since);
  });
  await checkProperty('SSE requests', property, SSE_REQUESTS);
  console.info(`fuzz: SSE statuses: ${JSON.stringify(statuses)}`);
  await system.expectHealthy();
}, 600_000);
