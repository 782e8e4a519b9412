import http from 'node:http';
import WebSocket from 'ws';
import { createLogger } from '@tidings/server-kit';
import { startHarness, type ApiHarness } from '../../api/tests/harness.ts';
import { startGateway, type RunningGateway } from '../src/main.ts';

export interface Cluster {
  h: ApiHarness;
  gateways: RunningGateway[];
  close(): Promise<void>;
}

/** The API and two gateways in this process, on port 0, sharing one test database and Redis prefix. */
export async function startCluster(overrides: Record<string, string> = {}, gatewayCount = 2): Promise<Cluster> {
  const h = await startHarness(overrides);
  const gateways: RunningGateway[] = [];
  for (let i = 0; i < gatewayCount; i++) {
    gateways.push(await startGateway({ ...h.config, GATEWAY_ID: `gw-${i}` }, createLogger('gateway', 'silent'), 0));
  }
  return {
    h,
    gateways,
    async close() {
      await Promise.all(gateways.map((g) => g.close()));
      await h.close();
    },
  };
}

export type Frame = Record<string, any> & { type: string };

/** A raw protocol client that records every frame, for asserting exactly what the gateway sends. */
export class TestSocket {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  closeReason = '';
  private readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closedPromise: Promise<number>;

  constructor(
    url: string,
    options: { token?: string; since?: number; protocol?: boolean; query?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const target = new URL('/v1/ws', url.replace(/^http/, 'ws'));
    if (options.since !== undefined) target.searchParams.set('since', String(options.since));
    if (options.token && !options.protocol) target.searchParams.set('token', options.token);
    for (const [name, value] of Object.entries(options.query ?? {})) target.searchParams.set(name, value);
    this.ws = new WebSocket(target, options.protocol && options.token ? [`bearer.${options.token}`] : [], { headers: options.headers ?? {} });
    // A Buffer: ws's default `binaryType` is `nodebuffer`.
    this.ws.on('message', (data) => this.frames.push(JSON.parse((data as Buffer).toString()) as Frame));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closedPromise = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
      }),
    );
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  notifications(): Frame[] {
    return this.frames.filter((f) => f.type === 'notification');
  }

  seqs(): number[] {
    return this.notifications().map((f) => f.notification.seq as number);
  }

  async waitFor(predicate: (frames: Frame[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.frames)) {
      if (Date.now() > deadline) throw new Error(`timed out; frames so far: ${JSON.stringify(this.frames).slice(0, 2_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async established(): Promise<Frame> {
    await this.waitFor((frames) => frames.some((f) => f.type === 'connection_established'));
    return this.frames.find((f) => f.type === 'connection_established')!;
  }

  close(): void {
    this.ws.close();
  }
}

export interface SseStream {
  status: number;
  chunks: string[];
  response: http.IncomingMessage;
  request: http.ClientRequest;
}

/** Opens `GET {gatewayUrl}{path}` and keeps what streams in; destroy `request` to end it. */
export function openSse(gatewayUrl: string, path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${gatewayUrl}${path}`, { headers }, (response) => {
      const chunks: string[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => chunks.push(chunk));
      resolve({ status: response.statusCode!, chunks, response, request });
    });
    request.on('error', reject);
  });
}
