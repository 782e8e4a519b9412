import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { createSigner, createVerifier, TokenError } from './index.ts';

const config = { JWT_SECRET: 'k'.repeat(40), JWT_PUBLIC_KEY: undefined, JWT_PRIVATE_KEY: undefined, JWT_ISSUER: undefined, JWT_AUDIENCE: undefined };

describe('tokens', () => {
  const sign = createSigner(config);
  const verify = createVerifier(config);

  it('reads roles and scopes into a principal', () => {
    expect(verify(sign({ sub: 'alice' }))).toMatchObject({ userId: 'alice', isAdmin: false, canPublish: false, isService: false });
    expect(verify(sign({ sub: 'root', roles: ['admin'] }))).toMatchObject({ isAdmin: true, canPublish: true, isService: false });
    expect(verify(sign({ sub: 'svc', scope: 'read notifications:publish' }))).toMatchObject({
      canPublish: true,
      isService: true,
      scopes: ['read', 'notifications:publish'],
    });
  });

  it('tells expired tokens from invalid ones', () => {
    const expired = sign({ sub: 'alice', expiresIn: -1 });
    expect(() => verify(expired)).toThrow(expect.objectContaining({ reason: 'expired' }));
    expect(() => verify(undefined)).toThrow(expect.objectContaining({ reason: 'missing' }));
    expect(() => verify(jwt.sign({ sub: 'a' }, config.JWT_SECRET, { algorithm: 'HS512' }))).toThrow(TokenError);
  });

  it('checks issuer and audience when configured', () => {
    const strict = { ...config, JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'tidings' };
    expect(createVerifier(strict)(createSigner(strict)({ sub: 'a' })).userId).toBe('a');
    expect(() => createVerifier(strict)(sign({ sub: 'a' }))).toThrow(TokenError);
  });
});
