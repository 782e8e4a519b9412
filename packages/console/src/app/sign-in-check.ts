import { ApiError, createApiClient } from '../api/client.ts';
import { readTokenClaims } from '../api/token.ts';

/** Why a token was refused, with what the sign-in screen needs to say so. */
export type TokenProblem = { kind: 'not-admin'; sub: string; roles: string[] } | { kind: 'invalid' } | { kind: 'other'; error: unknown };

export class TokenRefused extends Error {
  readonly problem: TokenProblem;
  constructor(problem: TokenProblem) {
    super(problem.kind);
    this.problem = problem;
  }
}

/** Resolves when `token` opens the admin API (GET /v1/admin/stats), else rejects with TokenRefused. */
export async function checkAdminToken(token: string): Promise<void> {
  try {
    await createApiClient({ token }).get('/v1/admin/stats');
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      const claims = readTokenClaims(token);
      throw new TokenRefused({ kind: 'not-admin', sub: claims?.sub ?? '', roles: claims?.roles ?? [] });
    }
    if (error instanceof ApiError && error.status === 401) throw new TokenRefused({ kind: 'invalid' });
    throw new TokenRefused({ kind: 'other', error });
  }
}

/**
 * Whether this server issues development tokens: the route answers a body it cannot accept with a
 * validation error in development and with the 404 of an unknown path everywhere else.
 */
export async function devTokensAvailable(): Promise<boolean> {
  try {
    await createApiClient({ token: undefined }).post('/v1/dev/tokens', {});
    return true;
  } catch (error) {
    return !(error instanceof ApiError && error.status === 404);
  }
}

/** A development admin token for `sub`; `null` when the route does not exist (production). */
export async function issueDevToken(sub: string): Promise<string | null> {
  try {
    const answer = await createApiClient({ token: undefined }).post<{ token: string }>('/v1/dev/tokens', { sub, roles: ['admin'] });
    return answer.token;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
