import type { IncomingMessage } from 'node:http';
import type { Config } from '@tidings/config';
import { AppError } from '@tidings/server-kit';
import { HandshakeLimit } from './handshake-limit.ts';
import type { Hub } from './hub.ts';
import { authenticate, type Authenticated, type Credentials } from './upgrade-auth.ts';

/** A refusal before authentication: the error and the headers its response carries. */
export interface Refusal {
  error: AppError;
  headers: Record<string, string>;
}

type AdmissionConfig = Pick<Config, 'GATEWAY_HANDSHAKES_PER_IP_PER_MINUTE' | 'TRUST_PROXY' | 'GATEWAY_ORIGINS' | 'MAX_CONNECTIONS_PER_USER' | 'HEARTBEAT_MS'>;

/**
 * The checks a WebSocket upgrade and an SSE request both pass before a connection exists: the
 * per-address handshake budget, the credentials, and the per-user connection cap. Each endpoint
 * turns a refusal into its own answer (a close code, an HTTP error).
 */
export class Admission {
  private readonly handshakes: HandshakeLimit;
  /** The refusal of a connection over `MAX_CONNECTIONS_PER_USER`, built once. */
  readonly tooManyConnections: AppError;
  /** A connection that died without closing keeps its place until the heartbeat sweep drops it. */
  readonly connectionCapRetryAfter: Record<string, string>;

  constructor(
    private readonly config: AdmissionConfig,
    private readonly credentials: Credentials,
    private readonly hub: Hub,
  ) {
    this.handshakes = new HandshakeLimit(config.GATEWAY_HANDSHAKES_PER_IP_PER_MINUTE, config.TRUST_PROXY);
    this.tooManyConnections = new AppError('rate_limited', `more than ${config.MAX_CONNECTIONS_PER_USER} connections for this user; close one or retry later`);
    this.connectionCapRetryAfter = { 'retry-after': String(Math.ceil(config.HEARTBEAT_MS / 1000)) };
  }

  /** Undefined when the address may hand-shake now, else a 429 with Retry-After. */
  async rateLimited(req: IncomingMessage): Promise<Refusal | undefined> {
    const retryAfter = await this.handshakes.check(req);
    if (retryAfter === undefined) return undefined;
    return {
      error: new AppError('rate_limited', `too many connection attempts from this address; retry in ${retryAfter} s`),
      headers: { 'retry-after': String(retryAfter) },
    };
  }

  authenticate(req: IncomingMessage, query: URLSearchParams): Promise<Authenticated> {
    return authenticate(req, query, this.credentials, this.config.GATEWAY_ORIGINS);
  }

  atConnectionCap(userId: string): boolean {
    return (this.hub.connectionsOf(userId)?.size ?? 0) >= this.config.MAX_CONNECTIONS_PER_USER;
  }
}
