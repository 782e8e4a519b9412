import fc from 'fast-check';
import WebSocket from 'ws';
import { clientFrameSchema, type ServerFrame } from '@tidings/protocol';
import { mutated } from './json-schema.ts';
import { nastyString, type TokenKind } from './system.ts';

/** One client frame as sent: text (JSON or not), text that is not UTF-8, binary, or text over the size limit. */
export type ClientMessage =
  | { kind: 'text'; text: string }
  | { kind: 'bad-utf8'; bytes: Buffer }
  | { kind: 'binary'; bytes: Buffer }
  | { kind: 'oversized'; extra: number }
  | { kind: 'auth'; token: TokenKind; sameUser: boolean };

/** What the gateway must do with a frame: answer it, or close the connection with a code. */
export type Reaction =
  | { answer: 'pong' | 'subscription_updated' | 'resume_complete' | 'nothing' }
  | { error: 'invalid_json' | 'unknown_message_type' | 'invalid_message' | 'rate_limited' }
  | { close: number };

const typeKey = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,20}$/);
/** A seq a client may ask to resume from: mostly small (the user has a few), sometimes at the edges. */
const since = fc.oneof(fc.nat({ max: 5 }), fc.constantFrom(0, Number.MAX_SAFE_INTEGER));

/** The protocol's client frames, valid (`auth` is generated apart: its token is signed when sent). */
const validFrame: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ type: 'ping' }),
  since.map((value) => ({ type: 'resume', since: value })),
  fc.array(fc.uuid({ version: 4 }), { minLength: 1, maxLength: 5 }).map((ids) => ({ type: 'mark_read', ids })),
  fc.option(typeKey, { nil: undefined }).map((filter) => (filter === undefined ? { type: 'mark_all_read' } : { type: 'mark_all_read', type_filter: filter })),
  fc.tuple(fc.constantFrom('subscribe', 'unsubscribe'), fc.array(typeKey, { maxLength: 5 })).map(([type, types]) => ({ type, types })),
);

const toText = (json: unknown) => JSON.stringify(json) ?? '';

/** Every kind of client frame, valid and broken; only `oversized` ones pass the size limit. */
export function clientMessage(): fc.Arbitrary<ClientMessage> {
  const text = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((value): ClientMessage => ({ kind: 'text', text: value }));
  // Frames that close the connection are rarer than the rest: a run ends at the first one.
  return fc.oneof(
    { weight: 16, arbitrary: text(validFrame.map(toText)) },
    {
      weight: 16,
      arbitrary: mutated(validFrame, { small: true }).map((body): ClientMessage =>
        'json' in body ? { kind: 'text', text: toText(body.json) } : { kind: 'text', text: body.bytes.toString('utf8') },
      ),
    },
    {
      weight: 4,
      arbitrary: text(
        fc.constantFrom(
          '',
          'ping',
          '{',
          '[]',
          'null',
          '"ping"',
          '{"type":"ping"',
          '{"type":"ping"}{}',
          '{"type":null}',
          '{"type":["ping"]}',
          '{"type":"PING"}',
          '{"type":"ping","__proto__":{}}',
        ),
      ),
    },
    { weight: 4, arbitrary: text(nastyString().map((value) => toText({ type: value }))) },
    {
      weight: 2,
      arbitrary: text(
        fc
          .integer({ min: 101, max: 300 })
          .map((count) => toText({ type: 'mark_read', ids: Array.from({ length: count }, () => '00000000-0000-4000-8000-000000000000') })),
      ),
    },
    { weight: 2, arbitrary: text(fc.integer({ min: 33, max: 5_000 }).map((depth) => `{"type":"resume","since":${'['.repeat(depth)}${']'.repeat(depth)}}`)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): ClientMessage => ({ kind: 'binary', bytes: Buffer.from(bytes) })) },
    // 0xC0 0xAF is an overlong '/', 0xED 0xA0 0x80 a surrogate, 0xFF never UTF-8.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom([0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0x7b, 0x22, 0xe2, 0x82])
        .map((bytes): ClientMessage => ({ kind: 'bad-utf8', bytes: Buffer.from(bytes) })),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_096 }).map((extra): ClientMessage => ({ kind: 'oversized', extra })) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('auth' as const),
        token: fc.constantFrom<TokenKind>('user', 'user', 'admin', 'service', 'garbage', 'expired', 'alg-none', 'wrong-key'),
        sameUser: fc.boolean(),
      }),
    },
  );
}

const knownTypes = new Set(clientFrameSchema.options.map((option) => option.shape.type.value as string));

/**
 * What the protocol says the gateway does with a frame (README, "Real-time protocol"): the schema
 * of client frames is the contract, so it is the oracle too.
 */
export function reactionTo(message: ClientMessage, maxPayload: number): Reaction {
  if (message.kind === 'bad-utf8') return { close: 1007 };
  if (message.kind === 'oversized') return { close: 1009 };
  if (message.kind === 'binary') return { error: 'invalid_message' };
  if (message.kind === 'auth') {
    // A refresh is for the same user, with a token that verifies and has an inbox (as at the upgrade: not a service token).
    const verifies = message.token === 'user' || message.token === 'admin';
    return verifies && message.sameUser ? { answer: 'nothing' } : { close: 1008 };
  }
  if (Buffer.byteLength(message.text) > maxPayload) return { close: 1009 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.text);
  } catch {
    return { error: 'invalid_json' };
  }
  const result = clientFrameSchema.safeParse(parsed);
  if (!result.success) {
    const type = (parsed as { type?: unknown } | null)?.type;
    return { error: typeof type === 'string' && knownTypes.has(type) ? 'invalid_message' : 'unknown_message_type' };
  }
  const type = result.data.type;
  // Text that happens to be an auth frame carries no token this test signed: it cannot verify.
  if (type === 'auth') return { close: 1008 };
  if (type === 'ping') return { answer: 'pong' };
  if (type === 'resume') return { answer: 'resume_complete' };
  if (type === 'subscribe' || type === 'unsubscribe') return { answer: 'subscription_updated' };
  return { answer: 'nothing' };
}

export type Frame = ServerFrame | { type: string; [key: string]: unknown };

/** A WebSocket that records every frame and how it closed. */
export class FrameSocket {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  /** A failure of the handshake itself (an HTTP answer instead of 101). */
  handshakeStatus: number | undefined;
  readonly closed: Promise<number>;
  private readonly ws: WebSocket;

  constructor(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}) {
    this.ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers, maxPayload: 64 * 1024 * 1024 });
    // A Buffer: ws's default `binaryType` is `nodebuffer`.
    this.ws.on('message', (data) => this.frames.push(JSON.parse((data as Buffer).toString()) as Frame));
    this.ws.on('unexpected-response', (_req, res) => {
      this.handshakeStatus = res.statusCode;
      res.resume();
      this.ws.terminate();
    });
    this.ws.on('error', () => {});
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  sendText(text: string): void {
    if (this.isOpen) this.ws.send(text);
  }

  sendBytes(bytes: Buffer, binary: boolean): void {
    if (this.isOpen) this.ws.send(bytes, { binary });
  }

  count(type: string): number {
    return this.frames.filter((frame) => frame.type === type).length;
  }

  errorCodes(): string[] {
    return this.frames.filter((frame) => frame.type === 'error').map((frame) => String((frame as { code: unknown }).code));
  }

  /** Waits until `predicate` holds or the socket closes; answers whether it held. */
  async until(predicate: () => boolean, timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (this.closeCode !== undefined || Date.now() > deadline) return predicate();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  close(): void {
    this.ws.terminate();
  }
}
