import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed unsubscribe tokens: `base64url(JSON { u, t?, iat }) "." base64url(HMAC-SHA256)`.
 * A token with `t` unsubscribes from one notification type, one without from all email.
 * They do not expire: an email can be read months later and its link must still work
 * (a user could only ever unsubscribe themselves with it).
 */
export interface UnsubscribeClaims {
  userId: string;
  /** The notification type; absent means every email. */
  type?: string | undefined;
  issuedAt: Date;
}

interface Payload {
  u: string;
  t?: string;
  iat: number;
}

/** Shortest secret accepted, in characters. */
export const unsubscribeSecretMinLength = 16;

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

function checkSecret(secret: string): void {
  if (secret.length < unsubscribeSecretMinLength) {
    throw new RangeError(`the unsubscribe secret must be at least ${unsubscribeSecretMinLength} characters`);
  }
}

export function signUnsubscribe(secret: string, claims: { userId: string; type?: string | undefined }, now: Date = new Date()): string {
  checkSecret(secret);
  const payload: Payload = { u: claims.userId, ...(claims.type === undefined ? {} : { t: claims.type }), iat: Math.floor(now.getTime() / 1000) };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${sign(secret, encoded).toString('base64url')}`;
}

const base64url = /^[A-Za-z0-9_-]+$/;

/** The claims of a genuine token; null for a forged, altered or malformed one. */
export function verifyUnsubscribe(secret: string, token: unknown): UnsubscribeClaims | null {
  checkSecret(secret);
  if (typeof token !== 'string' || token.length > 4096) return null;
  const [encoded, signature, extra] = token.split('.');
  if (encoded === undefined || signature === undefined || extra !== undefined) return null;
  if (!base64url.test(encoded) || !base64url.test(signature)) return null;
  const expected = sign(secret, encoded);
  const given = Buffer.from(signature, 'base64url');
  // Re-encoding catches non-canonical base64url (trailing bits that decode to the same bytes).
  if (given.length !== expected.length || given.toString('base64url') !== signature || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const { u, t, iat } = (payload ?? {}) as Partial<Record<keyof Payload, unknown>>;
  if (typeof u !== 'string' || u === '' || typeof iat !== 'number' || !Number.isFinite(iat)) return null;
  if (t !== undefined && typeof t !== 'string') return null;
  return { userId: u, ...(t === undefined ? {} : { type: t }), issuedAt: new Date(iat * 1000) };
}

/** `<publicUrl>/v1/unsubscribe?token=…`: the page behind the footer link and the one-click POST. */
export function unsubscribeUrl(publicUrl: string, token: string): string {
  const url = new URL('/v1/unsubscribe', publicUrl);
  url.search = new URLSearchParams({ token }).toString();
  return url.href;
}

export type UnsubscribeHeaders = {
  'List-Unsubscribe': string;
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click';
};

/**
 * RFC 2369 `List-Unsubscribe` with the https link first, then the mailto one if given, and RFC
 * 8058 `List-Unsubscribe-Post` so mail providers can unsubscribe in one click (a POST to the link).
 */
export function unsubscribeHeaders(url: string, mailto?: string): UnsubscribeHeaders {
  const links = [headerUri(url, ['http:', 'https:'])];
  if (mailto !== undefined) links.push(headerUri(/^mailto:/i.test(mailto) ? mailto : `mailto:${mailto}`, ['mailto:']));
  return { 'List-Unsubscribe': links.map((link) => `<${link}>`).join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

function headerUri(value: string, protocols: string[]): string {
  let uri: URL;
  try {
    uri = new URL(value);
  } catch {
    throw new TypeError(`not a URL for List-Unsubscribe: ${JSON.stringify(value)}`);
  }
  if (!protocols.includes(uri.protocol)) throw new TypeError(`List-Unsubscribe needs ${protocols.join(' or ')}, got ${uri.protocol}`);
  // CR/LF are stripped by the parser; a space or angle bracket would break out of the <…> bracket.
  if (/[\s<>]/.test(uri.href)) throw new TypeError(`List-Unsubscribe URI has a space or angle bracket: ${JSON.stringify(value)}`);
  return uri.href;
}
