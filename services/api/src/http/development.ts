import { isIP } from 'node:net';
import type { Request } from 'express';
import type { Config } from '@tidings/config';

const loopbackV4 = /^127\./;

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined || isIP(address) === 0) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || loopbackV4.test(plain);
}

/**
 * True when the Host header names this machine. A page on another name that reaches a loopback
 * address (DNS rebinding) could otherwise read the answer as same-origin.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host
    .replace(/:\d*$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

/**
 * Development-only routes and pages (dev tokens, the demo) answer only with NODE_ENV=development
 * and only to a client on this machine. The socket's own address decides, never X-Forwarded-For;
 * and a request that came through a proxy (it carries forwarding headers) is refused even from
 * loopback, because a proxy on the same host would otherwise open these to its whole audience;
 * and Host must name this machine (see {@link isLoopbackHost}).
 */
export function isDevelopmentRequest(req: Request, config: Pick<Config, 'NODE_ENV'>): boolean {
  if (config.NODE_ENV !== 'development') return false;
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined || req.headers['x-real-ip'] !== undefined) return false;
  return isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(req.headers.host);
}
