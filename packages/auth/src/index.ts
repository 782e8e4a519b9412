import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Config } from '@tidings/config';

export const ADMIN_ROLE = 'admin';
export const PUBLISH_SCOPE = 'notifications:publish';

/** Who is calling, as read from a verified token. */
export interface Principal {
  userId: string;
  roles: readonly string[];
  scopes: readonly string[];
  isAdmin: boolean;
  /** May create notifications and upsert recipients: the publish scope, or admin. */
  canPublish: boolean;
  /** A service token (publish scope, not admin): it has no inbox of its own to read. */
  isService: boolean;
  /** Seconds since the epoch, when the token carries `exp`. */
  expiresAt: number | undefined;
}

export type TokenFailure = 'missing' | 'expired' | 'invalid';

export class TokenError extends Error {
  constructor(
    readonly reason: TokenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

const claimsSchema = z.object({
  sub: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\u0000-\u001f\u007f]*$/),
  roles: z.array(z.string().max(64)).max(50).optional(),
  scope: z.string().max(1_000).optional(),
  exp: z.number().optional(),
});

type Algorithm = 'HS256' | 'RS256' | 'ES256';

interface KeyMaterial {
  algorithm: Algorithm;
  /** A KeyObject made once: given a string, jsonwebtoken would build one on every verify. */
  verifyKey: KeyObject;
}

function keyMaterial(config: Pick<Config, 'JWT_SECRET' | 'JWT_PUBLIC_KEY'>): KeyMaterial {
  if (config.JWT_PUBLIC_KEY !== undefined) {
    const key = createPublicKey(config.JWT_PUBLIC_KEY);
    const algorithm = key.asymmetricKeyType === 'rsa' ? 'RS256' : key.asymmetricKeyType === 'ec' ? 'ES256' : undefined;
    if (algorithm === undefined) throw new Error(`JWT_PUBLIC_KEY: unsupported key type ${key.asymmetricKeyType}; use RSA (RS256) or P-256 (ES256)`);
    return { algorithm, verifyKey: key };
  }
  if (config.JWT_SECRET === undefined) throw new Error('JWT_SECRET or JWT_PUBLIC_KEY must be set');
  return { algorithm: 'HS256', verifyKey: createSecretKey(Buffer.from(config.JWT_SECRET)) };
}

export type AuthConfig = Pick<Config, 'JWT_SECRET' | 'JWT_PUBLIC_KEY' | 'JWT_PRIVATE_KEY' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>;

export function principalFromClaims(claims: z.infer<typeof claimsSchema>): Principal {
  const roles = claims.roles ?? [];
  const scopes = (claims.scope ?? '').split(' ').filter(Boolean);
  const isAdmin = roles.includes(ADMIN_ROLE);
  const canPublish = isAdmin || scopes.includes(PUBLISH_SCOPE);
  return { userId: claims.sub, roles, scopes, isAdmin, canPublish, isService: canPublish && !isAdmin, expiresAt: claims.exp };
}

/**
 * Verifies tokens with exactly one algorithm, fixed by the configured key: HS256 for a secret,
 * RS256 or ES256 for a public key. `alg: none` and algorithm confusion are refused by construction.
 */
export function createVerifier(config: AuthConfig): (token: string | undefined) => Principal {
  const { algorithm, verifyKey } = keyMaterial(config);
  const options: jwt.VerifyOptions = {
    algorithms: [algorithm],
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
  };
  return (token) => {
    if (token === undefined || token === '') throw new TokenError('missing', 'a bearer token is required');
    let payload: unknown;
    try {
      payload = jwt.verify(token, verifyKey, options);
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new TokenError('expired', 'the token has expired');
      throw new TokenError('invalid', `the token is invalid: ${(error as Error).message}`);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new TokenError('invalid', 'the token lacks a valid `sub` claim');
    return principalFromClaims(claims.data);
  };
}

export interface TokenRequest {
  sub: string;
  roles?: string[];
  scope?: string;
  /** Lifetime in seconds. */
  expiresIn?: number;
}

/** Signs tokens with the configured key (the private key for RS256/ES256). For dev tooling and tests. */
export function createSigner(config: AuthConfig): (request: TokenRequest) => string {
  const { algorithm } = keyMaterial(config);
  let signKey: string;
  if (algorithm === 'HS256') {
    signKey = config.JWT_SECRET!;
  } else {
    if (config.JWT_PRIVATE_KEY === undefined) throw new Error('JWT_PRIVATE_KEY is needed to sign tokens for an asymmetric key');
    createPrivateKey(config.JWT_PRIVATE_KEY);
    signKey = config.JWT_PRIVATE_KEY;
  }
  return ({ sub, roles, scope, expiresIn = 3_600 }) =>
    jwt.sign({ ...(roles?.length ? { roles } : {}), ...(scope ? { scope } : {}) }, signKey, {
      algorithm,
      subject: sub,
      expiresIn,
      ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
      ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
    });
}
