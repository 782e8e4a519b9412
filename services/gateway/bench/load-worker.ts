/**
 * A load-client process, forked by the bench: it holds WebSocket (Tidings, `ws`) or socket.io
 * (baseline, `socket.io-client`, websocket transport only) connections and records, for every
 * notification frame, its `data.k` (latency run) or `data.b` (broadcast round) with the arrival
 * time. Arrival times are taken first thing in the message handler, before any parsing.
 */
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { BroadcastDone, BroadcastState, ConnectResult, LatencyRecords, Target, WorkerRequest, WorkerStats } from './worker-protocol.ts';

const wallNow = (): number => performance.timeOrigin + performance.now();

interface Held {
  close(): void;
  group: number;
  closing: boolean;
  open: boolean;
}

let system: 'tidings' | 'baseline' = 'tidings';
let secret = '';
let concurrency = 200;
const tokens = new Map<number, string>();
const groups = new Map<number, Set<Held>>();
let open = 0;
let unexpectedCloses = 0;
const closeCodes: Record<string, number> = {};
let frames = 0;
let keys: number[] = [];
let arrivals: number[] = [];
const rounds = new Map<number, BroadcastState>();

function tokenFor(user: number): string {
  let token = tokens.get(user);
  if (!token) {
    token = jwt.sign({}, secret, { algorithm: 'HS256', subject: `bench-${user}`, expiresIn: 6 * 3_600 });
    tokens.set(user, token);
  }
  return token;
}

function onNotification(at: number, data: { k?: number; b?: number } | undefined): void {
  if (!data) return;
  if (data.k !== undefined) {
    keys.push(data.k);
    arrivals.push(at);
  } else if (data.b !== undefined) {
    const state = rounds.get(data.b);
    if (!state) return;
    state.count++;
    if (state.first === 0) state.first = at;
    state.last = at;
    if (state.count === state.expected) process.send!({ event: 'broadcastDone', state } satisfies BroadcastDone);
  }
}

const NOTIFICATION_PREFIX = '{"type":"notification"';

function onWsMessage(this: WebSocket, raw: WebSocket.RawData): void {
  const at = wallNow();
  frames++;
  const text = raw.toString();
  if (!text.startsWith(NOTIFICATION_PREFIX)) return;
  const frame = JSON.parse(text) as { notification: { data?: { k?: number; b?: number } } };
  onNotification(at, frame.notification.data);
}

function onSioNotification(notification: { data?: { k?: number; b?: number } }): void {
  const at = wallNow();
  frames++;
  onNotification(at, notification.data);
}

function closed(held: Held, code: number | string): void {
  if (!held.open) return;
  held.open = false;
  open--;
  groups.get(held.group)?.delete(held);
  if (!held.closing) {
    unexpectedCloses++;
    closeCodes[String(code)] = (closeCodes[String(code)] ?? 0) + 1;
  }
}

/** Opens one connection; resolves once the server said `connection_established`. */
function connectOne(group: number, [user, url]: Target): Promise<Held> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('no connection_established within 30 s')), 30_000);
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      held.closing = true;
      held.close();
      reject(error);
    };
    const ready = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      held.open = true;
      open++;
      resolve(held);
    };
    let held!: Held;
    if (system === 'tidings') {
      const target = `${url.replace(/^http/, 'ws')}/v1/ws?token=${tokenFor(user)}`;
      const ws = new WebSocket(target, { perMessageDeflate: false });
      held = { close: () => ws.terminate(), group, closing: false, open: false };
      const established = (raw: WebSocket.RawData) => {
        if (raw.toString().includes('"connection_established"')) {
          ws.off('message', established);
          ws.on('message', onWsMessage);
          ready();
        }
      };
      ws.on('message', established);
      ws.on('error', (error) => fail(error));
      ws.on('close', (code) => {
        closed(held, code);
        fail(new Error(`closed ${code} before connection_established`));
      });
    } else {
      const socket: Socket = io(url, { transports: ['websocket'], auth: { token: tokenFor(user) }, reconnection: false, forceNew: true, timeout: 30_000 });
      held = { close: () => socket.disconnect(), group, closing: false, open: false };
      socket.once('connection_established', () => {
        socket.on('notification', onSioNotification);
        ready();
      });
      socket.on('connect_error', (error) => fail(error));
      socket.on('disconnect', (reason) => {
        closed(held, reason);
        fail(new Error(`disconnected (${reason}) before connection_established`));
      });
    }
  });
}

async function connect(group: number, targets: Target[]): Promise<ConnectResult> {
  const started = performance.now();
  const set = groups.get(group) ?? new Set<Held>();
  groups.set(group, set);
  let next = 0;
  let connected = 0;
  let failed = 0;
  const errors: string[] = [];
  const runner = async () => {
    while (next < targets.length) {
      const target = targets[next++]!;
      try {
        set.add(await connectOne(group, target));
        connected++;
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, runner));
  return { connected, failed, errors, ms: Math.round(performance.now() - started) };
}

async function closeGroup(group: number): Promise<number> {
  const set = groups.get(group);
  if (!set) return 0;
  const count = set.size;
  for (const held of set) {
    held.closing = true;
    held.close();
  }
  const deadline = Date.now() + 15_000;
  while (set.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const held of set) if (held.open) closed(held, 'timeout');
  groups.delete(group);
  return count;
}

function expectedConnections(): number {
  return open;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'init':
      system = request.system;
      secret = request.secret;
      concurrency = request.concurrency;
      return true;
    case 'connect':
      return connect(request.group, request.targets);
    case 'close':
      return closeGroup(request.group);
    case 'clock':
      return wallNow();
    case 'resetLatency':
      keys = [];
      arrivals = [];
      return true;
    case 'latency':
      return { keys: Float64Array.from(keys), arrivals: Float64Array.from(arrivals) } satisfies LatencyRecords;
    case 'expectBroadcast': {
      const state: BroadcastState = { round: request.round, count: 0, expected: expectedConnections(), first: 0, last: 0 };
      rounds.set(request.round, state);
      return state.expected;
    }
    case 'broadcastState':
      return rounds.get(request.round);
    case 'stats':
      return { open, unexpectedCloses, closeCodes, frames } satisfies WorkerStats;
    case 'shutdown':
      for (const group of [...groups.keys()]) await closeGroup(group);
      setTimeout(() => process.exit(0), 50);
      return true;
  }
}

process.on('message', (message: WorkerRequest & { id: number }) => {
  handle(message).then(
    (result) => process.send!({ id: message.id, ok: true, result }),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: (error as Error).stack ?? String(error) }),
  );
});
// Never outlive the bench.
process.on('disconnect', () => process.exit(0));
