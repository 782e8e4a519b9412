import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { webhookSignatureHeader } from '@tidings/protocol';
import { AppError } from '@tidings/server-kit';

/** How far a signature's timestamp may be from the clock, either way, in seconds (limits replays). */
export const signatureToleranceSeconds = 300;

const hexDigest = /^[0-9a-f]{64}$/;

function digest(secret: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The header value for `body`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. For senders and tests. */
export function signWebhook(secret: string, body: string | Buffer, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const timestamp = String(nowSeconds);
  return `t=${timestamp},v1=${digest(secret, timestamp, Buffer.from(body)).toString('hex')}`;
}

/**
 * Why a signature header does not vouch for `body`, or null when it does. Several `v1=` entries are
 * allowed (a sender rotating secrets signs with both); one matching is enough. Compared in constant time.
 */
export function signatureProblem(secret: string, header: string | undefined, body: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): string | null {
  if (header === undefined || header === '') return `the ${webhookSignatureHeader} header is missing`;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value, extra] = part.trim().split('=');
    if (value === undefined || extra !== undefined) continue;
    if (key === 't') timestamp = value;
    else if (key === 'v1' && hexDigest.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return `the ${webhookSignatureHeader} header has no t=<unix seconds>`;
  if (signatures.length === 0) return `the ${webhookSignatureHeader} header has no v1=<hex HMAC-SHA256>`;
  if (Math.abs(nowSeconds - Number(timestamp)) > signatureToleranceSeconds) {
    return `the signature's timestamp is more than ${signatureToleranceSeconds} s from the server's clock`;
  }
  const expected = digest(secret, timestamp, body);
  // Every entry is compared, so the time taken does not tell which one (if any) was close.
  let matched = false;
  for (const signature of signatures) matched = timingSafeEqual(signature, expected) || matched;
  return matched ? null : 'the signature does not match the body';
}

/**
 * Admits a webhook call only when `X-Tidings-Signature` signs its raw body (a Buffer in `req.body`,
 * see the route's `raw-json` body format) with the secret; 503 while no secret is configured.
 */
export function requireWebhookSignature(secret: string | undefined, secretName: string): RequestHandler {
  return (req, _res, next) => {
    if (secret === undefined) {
      next(new AppError('not_configured', `this webhook is off: set ${secretName} (at least 32 characters) to accept calls`));
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const problem = signatureProblem(secret, req.get(webhookSignatureHeader), body);
    next(problem === null ? undefined : new AppError('invalid_signature', problem));
  };
}
