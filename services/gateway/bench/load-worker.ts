/**
 * A load-client process, forked by the bench: it holds WebSocket (Tidings, `ws`) or socket.io
 * (baseline, `socket.io-client`, websocket transport only) connections and records, for every
 * notification frame, its `data.k` (latency run) or `data.b` (broadcast round) with the arrival
 * time. Arrival times are taken first thing in the message handler, before any parsing. With
 * `trackSeqs` (the soak) it also keeps each user's seqs, as the SDK does, to resume from and to
 * count duplicates.
 */
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { broadcastState, expectBroadcast, latencyRecords, recordArrival, resetLatency, wallNow } from './load-arrivals.ts';
import { deliveryStats, resumeComplete, resumeFrom, sequence, startSeqs } from './load-seqs.ts';
import type { ChurnResult, ConnectResult, Target, WorkerRequest, WorkerStats } from './worker-protocol.ts';

interface Held {
  /** Drops the connection without a closing handshake. */
  close(): void;
  /** Closes with the handshake (1000). */
  end(): void;
  user: number;
  url: string;
  group: number;
  closing: boolean;
  open: boolean;
  /** Seqs this very connection received (with `trackSeqs`): a gateway must never write one twice to the same socket. */
  seen?: Set<number>;
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

let trackSeqs = false;
/** Users whose connection dropped without the bench asking, with their gateway: the next churn reopens them. */
const down = new Map<number, string>();

function tokenFor(user: number): string {
  let token = tokens.get(user);
  if (!token) {
    token = jwt.sign({}, secret, { algorithm: 'HS256', subject: `bench-${user}`, expiresIn: 6 * 3_600 });
    tokens.set(user, token);
  }
  return token;
}

const NOTIFICATION_PREFIX = '{"type":"notification"';

/** A text frame's contents: ws hands a Buffer with its default `binaryType` (`nodebuffer`), which these sockets keep. */
function frameText(raw: WebSocket.RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString();
  return Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw)]).toString();
}

function onWsMessage(this: WebSocket, raw: WebSocket.RawData): void {
  const at = wallNow();
  frames++;
  const text = frameText(raw);
  if (!text.startsWith(NOTIFICATION_PREFIX)) return;
  const frame = JSON.parse(text) as { notification: { data?: { k?: number; b?: number } } };
  recordArrival(at, frame.notification.data);
}

const RESUME_COMPLETE_PREFIX = '{"type":"resume_complete"';

function onTrackedMessage(held: Held, raw: WebSocket.RawData): void {
  const at = wallNow();
  frames++;
  const text = frameText(raw);
  if (text.startsWith(NOTIFICATION_PREFIX)) {
    const frame = JSON.parse(text) as { notification: { seq: number; data?: { k?: number; b?: number } } };
    recordArrival(at, frame.notification.data);
    sequence(held.user, held.seen!, frame.notification.seq);
  } else if (text.startsWith(RESUME_COMPLETE_PREFIX)) {
    const frame = JSON.parse(text) as { count: number; last_seq: number };
    resumeComplete(held.user, frame.count, frame.last_seq);
  }
}

function onSioNotification(notification: { data?: { k?: number; b?: number } }): void {
  const at = wallNow();
  frames++;
  recordArrival(at, notification.data);
}

function closed(held: Held, code: number | string): void {
  if (!held.open) return;
  held.open = false;
  open--;
  groups.get(held.group)?.delete(held);
  if (!held.closing) {
    unexpectedCloses++;
    closeCodes[String(code)] = (closeCodes[String(code)] ?? 0) + 1;
    if (trackSeqs) down.set(held.user, held.url);
  }
}

/** Opens one connection; resolves once the server said `connection_established`. */
function connectOne(group: number, [user, url, since]: Target): Promise<Held> {
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
      const target = `${url.replace(/^http/, 'ws')}/v1/ws?token=${tokenFor(user)}${since === undefined ? '' : `&since=${since}`}`;
      const ws = new WebSocket(target, { perMessageDeflate: false });
      held = { close: () => ws.terminate(), end: () => ws.close(1000), user, url, group, closing: false, open: false };
      const established = (raw: WebSocket.RawData) => {
        const text = frameText(raw);
        if (!text.includes('"connection_established"')) return;
        ws.off('message', established);
        if (trackSeqs) {
          // A first connection starts from the server's newest seq, as the SDK does without `since`.
          startSeqs(user, text);
          held.seen = new Set();
          ws.on('message', (message: WebSocket.RawData) => onTrackedMessage(held, message));
        } else {
          ws.on('message', onWsMessage);
        }
        ready();
      };
      ws.on('message', established);
      ws.on('error', (error) => fail(error));
      ws.on('close', (code) => {
        closed(held, code);
        fail(new Error(`closed ${code} before connection_established`));
      });
    } else {
      const socket: Socket = io(url, { transports: ['websocket'], auth: { token: tokenFor(user) }, reconnection: false, forceNew: true, timeout: 30_000 });
      held = { close: () => socket.disconnect(), end: () => socket.disconnect(), user, url, group, closing: false, open: false };
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
        if (trackSeqs) down.set(target[0], target[1]);
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

/** Waits (up to `ms`) until none of `held` is open any more. */
async function closedAll(held: Held[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (held.some((h) => h.open) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  for (const h of held) if (h.open) closed(h, 'timeout');
}

async function churn(group: number, count: number): Promise<ChurnResult> {
  const started = performance.now();
  const set = groups.get(group) ?? new Set<Held>();
  const candidates = [...set].filter((h) => h.open && !h.closing);
  // A partial Fisher–Yates shuffle: `count` distinct connections at random.
  const picked: Held[] = [];
  for (let i = 0; i < Math.min(count, candidates.length); i++) {
    const j = i + Math.floor(Math.random() * (candidates.length - i));
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    picked.push(candidates[i]!);
  }
  picked.forEach((held, i) => {
    held.closing = true;
    if (i % 2 === 0) held.end();
    else held.close();
  });
  await closedAll(picked, 5_000);
  const restored = [...down];
  down.clear();
  // Resume from the newest seq seen without a hole, read once the old socket is gone.
  const targets: Target[] = [...restored, ...picked.map((h): [number, string] => [h.user, h.url])].map(([user, url]) => [user, url, resumeFrom(user)]);
  const result = await connect(group, targets);
  return { closed: picked.length, restored: restored.length, failed: result.failed, errors: result.errors, ms: Math.round(performance.now() - started) };
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
      trackSeqs = request.trackSeqs ?? false;
      return true;
    case 'connect':
      return connect(request.group, request.targets);
    case 'close':
      return closeGroup(request.group);
    case 'clock':
      return wallNow();
    case 'resetLatency':
      resetLatency();
      return true;
    case 'latency':
      return latencyRecords();
    case 'expectBroadcast':
      return expectBroadcast(request.round, expectedConnections());
    case 'broadcastState':
      return broadcastState(request.round);
    case 'stats':
      return { open, unexpectedCloses, closeCodes, frames } satisfies WorkerStats;
    case 'churn':
      return churn(request.group, request.count);
    case 'delivery':
      return deliveryStats(down.size);
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
