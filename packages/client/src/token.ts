import { clientErrorCodes, TidingsError } from './errors.ts';

/** Supplies the JWT. Called on every (re)connect and before the current token expires. */
export type TokenProvider = () => Promise<string> | string;

/** setTimeout treats anything above 2^31 - 1 ms (about 24.8 days) as 0 and fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The claims of a JWT, decoded WITHOUT verifying the signature; undefined when it is not a JWT. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `exp` claim of a JWT in ms since the epoch, or undefined when the token has none or is not a
 * JWT. Not verified: the client only uses it to know when to refresh; the gateway and API are the
 * ones that verify.
 */
export function jwtExpiry(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  // RFC 7519 allows a fractional NumericDate, so no integer check.
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}

/**
 * The `sub` claim of a JWT (the user), or undefined. Not verified either: it only names the
 * connection that tabs share, and a tab that lied about it would only share with itself.
 */
export function jwtSubject(token: string): string | undefined {
  const sub = jwtClaims(token)?.sub;
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
}

/**
 * Wraps the app's token provider: validates what it returns, shares one call between concurrent
 * callers, and caches the token for REST calls until it is about to expire.
 */
export class TokenSource {
  private cached: string | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly provider: TokenProvider,
    /** How long before `exp` a token counts as stale, in ms. */
    private readonly refreshBeforeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Calls the provider (once, however many callers ask at the same time). */
  fresh(): Promise<string> {
    this.inFlight ??= this.call().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** The cached token while it is not about to expire, else a fresh one. For REST calls. */
  async current(): Promise<string> {
    if (this.cached !== undefined && !this.isStale(this.cached)) return this.cached;
    return this.fresh();
  }

  /**
   * How long from now to refresh `token`, in ms: `refreshBeforeMs` ahead of its expiry, or half
   * its remaining life when that is shorter than `refreshBeforeMs` (so a short-lived token is not
   * refreshed in a tight loop). Undefined when the token has no `exp` or has already expired (the
   * gateway will close 4001 and the reconnect fetches a new one).
   */
  refreshDelay(token: string): number | undefined {
    const expiresAt = jwtExpiry(token);
    if (expiresAt === undefined) return undefined;
    const remaining = expiresAt - this.now();
    if (remaining <= 0) return undefined;
    const delay = remaining > this.refreshBeforeMs ? remaining - this.refreshBeforeMs : remaining / 2;
    return Math.min(Math.ceil(delay), MAX_TIMER_MS);
  }

  private isStale(token: string): boolean {
    const expiresAt = jwtExpiry(token);
    return expiresAt !== undefined && expiresAt - this.now() <= this.refreshBeforeMs;
  }

  private async call(): Promise<string> {
    let token: unknown;
    try {
      token = await this.provider();
    } catch (error) {
      throw new TidingsError(clientErrorCodes.tokenProviderFailed, `getToken failed: ${(error as Error)?.message ?? String(error)}`, undefined, {
        cause: error,
      });
    }
    if (typeof token !== 'string' || token.length === 0) {
      throw new TidingsError(clientErrorCodes.tokenProviderFailed, 'getToken must answer a non-empty string');
    }
    this.cached = token;
    return token;
  }
}
