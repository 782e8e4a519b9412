import { describe, expect, it } from 'vitest';
import { signUnsubscribe, unsubscribeHeaders, unsubscribeUrl, verifyUnsubscribe } from './unsubscribe.ts';

const secret = 'unsubscribe-secret-for-tests-0123456789';

/** The token with one character at `index` swapped for another base64url character. */
function flip(token: string, index: number): string {
  const char = token[index] === 'A' ? 'B' : 'A';
  return token.slice(0, index) + char + token.slice(index + 1);
}

describe('unsubscribe tokens', () => {
  it('round-trips a per-type token and an all-email token', () => {
    const issued = new Date('2024-05-01T10:00:00Z');
    const perType = signUnsubscribe(secret, { userId: 'alice', type: 'comment.created' }, issued);
    expect(perType).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribe(secret, perType)).toEqual({ userId: 'alice', type: 'comment.created', issuedAt: issued });
    const all = signUnsubscribe(secret, { userId: 'bob ünïcode' });
    const claims = verifyUnsubscribe(secret, all);
    expect(claims?.userId).toBe('bob ünïcode');
    expect(claims).not.toHaveProperty('type');
  });

  it('refuses a token with any one character of its payload or signature changed', () => {
    const token = signUnsubscribe(secret, { userId: 'alice', type: 'comment.created' });
    const dot = token.indexOf('.');
    for (const index of [0, Math.floor(dot / 2), dot - 1, dot + 1, token.length - 2]) {
      expect(verifyUnsubscribe(secret, flip(token, index))).toBeNull();
    }
    // The last signature character carries 2 unused bits: a variant that decodes to the same bytes is refused too.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = token.slice(0, -1) + alphabet[alphabet.indexOf(token.at(-1)!) ^ 1];
    expect(Buffer.from(sameBytes.split('.')[1]!, 'base64url')).toEqual(Buffer.from(token.split('.')[1]!, 'base64url'));
    expect(verifyUnsubscribe(secret, sameBytes)).toBeNull();
  });

  it('refuses a payload re-signed by someone without the secret, or signed with another secret', () => {
    const token = signUnsubscribe(secret, { userId: 'alice' });
    const forgedPayload = Buffer.from(JSON.stringify({ u: 'mallory', iat: 1 })).toString('base64url');
    expect(verifyUnsubscribe(secret, `${forgedPayload}.${token.split('.')[1]}`)).toBeNull();
    expect(verifyUnsubscribe(secret, signUnsubscribe('another-secret-of-enough-length', { userId: 'alice' }))).toBeNull();
  });

  it('refuses garbage', () => {
    for (const garbage of ['', '.', 'abc', 'a.b.c', 'a.b', '!!!.???', `${'a'.repeat(5000)}.b`, undefined, null, 42, {}]) {
      expect(verifyUnsubscribe(secret, garbage)).toBeNull();
    }
    // Correctly signed but not our payload shape.
    const signedJunk = signUnsubscribe(secret, { userId: '' });
    expect(verifyUnsubscribe(secret, signedJunk)).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => signUnsubscribe('short', { userId: 'a' })).toThrow(RangeError);
    expect(() => verifyUnsubscribe('short', 'a.b')).toThrow(RangeError);
  });
});

describe('unsubscribe links and headers', () => {
  it('builds the link under /v1/unsubscribe with the token in the query', () => {
    expect(unsubscribeUrl('https://acme.test/base/', 'abc.d-_')).toBe('https://acme.test/v1/unsubscribe?token=abc.d-_');
  });

  it('gives RFC 2369 List-Unsubscribe and RFC 8058 one-click headers', () => {
    const url = 'https://acme.test/v1/unsubscribe?token=abc.def';
    expect(unsubscribeHeaders(url)).toEqual({
      'List-Unsubscribe': '<https://acme.test/v1/unsubscribe?token=abc.def>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribeHeaders(url, 'unsubscribe@acme.test')['List-Unsubscribe']).toBe(
      '<https://acme.test/v1/unsubscribe?token=abc.def>, <mailto:unsubscribe@acme.test>',
    );
    expect(unsubscribeHeaders(url, 'mailto:u@acme.test?subject=unsubscribe')['List-Unsubscribe']).toBe(
      '<https://acme.test/v1/unsubscribe?token=abc.def>, <mailto:u@acme.test?subject=unsubscribe>',
    );
  });

  it('refuses URIs that are not http(s)/mailto or would break out of the brackets', () => {
    expect(() => unsubscribeHeaders('javascript:alert(1)')).toThrow(TypeError);
    expect(() => unsubscribeHeaders('not a url')).toThrow(TypeError);
    expect(() => unsubscribeHeaders('https://a.test/x', 'a b@x')).toThrow(TypeError);
    expect(() => unsubscribeHeaders('https://a.test/x', 'a>b@x')).toThrow(TypeError);
    // CR/LF cannot split the header: the URL parser strips them.
    expect(unsubscribeHeaders('https://a.test/x\r\nBcc: z')['List-Unsubscribe']).toBe('<https://a.test/xBcc:%20z>');
  });
});
