import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const ec = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

let hs: ApiHarness;
let rs: ApiHarness;
beforeAll(async () => {
  [hs, rs] = await Promise.all([startHarness(), startHarness({ JWT_PUBLIC_KEY: rsa.publicKey, JWT_PRIVATE_KEY: rsa.privateKey })]);
});
afterAll(async () => {
  await Promise.all([hs?.close(), rs?.close()]);
});

const routes = [
  ['GET', '/v1/notifications'],
  ['POST', '/v1/notifications'],
  ['GET', '/v1/preferences'],
  ['GET', '/v1/recipients/alice'],
  ['GET', '/v1/admin/stats'],
] as const;

function unsignedToken(payload: object): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

describe('authentication', () => {
  it.each([
    ['no token', undefined, 'unauthorized'],
    ['a malformed token', 'not-a-jwt', 'unauthorized'],
    ['alg none', unsignedToken({ sub: 'mallory', roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 60 }), 'unauthorized'],
    ['a token signed with another secret', jwt.sign({ sub: 'mallory', roles: ['admin'] }, 'x'.repeat(40), { algorithm: 'HS256' }), 'unauthorized'],
    ['an expired token', 'expired', 'token_expired'],
    ['a token without sub', 'nosub', 'unauthorized'],
  ])('answers 401 with a JSON error for %s', async (_label, token, code) => {
    const actual =
      token === 'expired'
        ? hs.sign({ sub: 'alice', roles: ['admin'], expiresIn: -10 })
        : token === 'nosub'
          ? jwt.sign({ roles: ['admin'] }, hs.config.JWT_SECRET!, { algorithm: 'HS256' })
          : token;
    for (const [method, path] of routes) {
      const response = await hs.request(method, path, { token: actual, body: method === 'POST' ? {} : undefined });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body.error.code).toBe(code);
    }
  });

  it('refuses a non-Bearer Authorization header', async () => {
    const response = await hs.request('GET', '/v1/notifications', { headers: { authorization: `Basic ${hs.userToken('alice')}` } });
    expect(response.status).toBe(401);
  });

  it('with an RSA public key, accepts RS256 and refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const good = jwt.sign({ sub: 'alice' }, rsa.privateKey, { algorithm: 'RS256', expiresIn: 60 });
    expect((await rs.request('GET', '/v1/notifications', { token: good })).status).toBe(200);
    const confused = jwt.sign({ sub: 'alice', roles: ['admin'] }, Buffer.from(rsa.publicKey), { algorithm: 'HS256' });
    const response = await rs.request('GET', '/v1/admin/stats', { token: confused });
    expect(response.status).toBe(401);
    const hsWithDevSecret = jwt.sign({ sub: 'alice', roles: ['admin'] }, 'tidings-dev-secret-do-not-use-in-production', { algorithm: 'HS256' });
    expect((await rs.request('GET', '/v1/admin/stats', { token: hsWithDevSecret })).status).toBe(401);
  });

  it('with an RSA key, refuses an ES256 token; an ES256-configured API accepts it', async () => {
    const es = jwt.sign({ sub: 'alice' }, ec.privateKey, { algorithm: 'ES256', expiresIn: 60 });
    expect((await rs.request('GET', '/v1/notifications', { token: es })).status).toBe(401);
    const esApi = await startHarness({ JWT_PUBLIC_KEY: ec.publicKey, JWT_PRIVATE_KEY: ec.privateKey });
    try {
      expect((await esApi.request('GET', '/v1/notifications', { token: es })).status).toBe(200);
    } finally {
      await esApi.close();
    }
  });
});

describe('authorization', () => {
  it('keeps users out of admin and producer routes with 403', async () => {
    const user = hs.userToken(uniqueId('user'));
    for (const [method, path] of [
      ['GET', '/v1/admin/stats'],
      ['GET', '/v1/admin/notifications'],
      ['GET', '/v1/admin/broadcasts'],
      ['GET', '/v1/admin/email-logs'],
      ['GET', '/v1/admin/connections'],
      ['POST', '/v1/admin/users/alice/disconnect'],
      ['GET', '/v1/admin/email-suppressions'],
      ['POST', '/v1/admin/email-suppressions'],
      ['DELETE', '/v1/admin/email-suppressions/a@example.com'],
      ['POST', '/v1/notifications'],
      ['GET', '/v1/recipients/alice'],
      ['PUT', '/v1/notification-types/comment'],
    ] as const) {
      const response = await hs.request(method, path, { token: user, body: method === 'GET' ? undefined : {} });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
  });

  it('lets the publish scope create notifications and recipients but read no inbox and no admin route', async () => {
    const target = uniqueId('target');
    const created = await hs.request('POST', '/v1/notifications', { token: hs.service, body: { to: { user_ids: [target] }, type: 't', title: 'x' } });
    expect(created.status).toBe(201);
    expect((await hs.request('PUT', `/v1/recipients/${target}`, { token: hs.service, body: { email: 'target@example.com' } })).status).toBe(200);
    expect((await hs.request('PUT', '/v1/notification-types/t', { token: hs.service, body: { default_email: true } })).status).toBe(200);
    const id = created.body.notification_ids[0];
    for (const [method, path] of [
      ['GET', '/v1/notifications'],
      ['GET', `/v1/notifications/${id}`],
      ['GET', '/v1/notifications/unread-count'],
      ['POST', `/v1/notifications/${id}/read`],
      ['GET', '/v1/preferences'],
      ['GET', '/v1/admin/notifications'],
      ['GET', '/v1/admin/email-suppressions'],
    ] as const) {
      const response = await hs.request(method, path, { token: hs.service });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
  });

  it('lets an admin do everything', async () => {
    for (const path of [
      '/v1/admin/stats',
      '/v1/admin/notifications',
      '/v1/admin/broadcasts',
      '/v1/admin/email-logs',
      '/v1/admin/connections',
      '/v1/notifications',
      '/v1/preferences',
    ]) {
      expect((await hs.request('GET', path, { token: hs.admin })).status, path).toBe(200);
    }
  });
});
