import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** The client's address: the socket's, or from X-Forwarded-For as far as `trustProxy` (TRUST_PROXY) allows. */
export function clientAddressOf(trustProxy: boolean | number | string): (req: IncomingMessage) => string {
  const trust: (address: string, hop: number) => boolean =
    typeof trustProxy === 'boolean'
      ? () => trustProxy
      : typeof trustProxy === 'number'
        ? (_address, hop) => hop < trustProxy
        : proxyaddr.compile(
            trustProxy
              .split(',')
              .map((part) => part.trim())
              .filter(Boolean),
          );
  return (req) => proxyaddr(req, trust);
}

/**
 * Handshakes (WebSocket upgrades and SSE requests) per client address and minute, counted in this
 * gateway's memory: verifying a token and setting a connection up cost far more than refusing one,
 * so one address cannot make a gateway do that work without bound. Over the budget: 429 with
 * Retry-After. Each gateway counts for itself, so behind N gateways an address gets N budgets.
 */
export class HandshakeLimit {
  private readonly limiter: RateLimiterMemory;
  private readonly addressOf: (req: IncomingMessage) => string;

  constructor(perMinute: number, trustProxy: boolean | number | string) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
    this.addressOf = clientAddressOf(trustProxy);
  }

  /** Undefined when the handshake may go on, else the seconds until the address may try again. */
  async check(req: IncomingMessage): Promise<number | undefined> {
    try {
      await this.limiter.consume(this.addressOf(req));
      return undefined;
    } catch (rejection) {
      return Math.max(1, Math.ceil((rejection as { msBeforeNext: number }).msBeforeNext / 1000));
    }
  }
}
