/** Reading a JWT's claims without verifying it: only to name whose token it is. */

export interface TokenClaims {
  sub: string;
  roles: string[];
  /** Seconds since the epoch, when the token says. */
  exp?: number;
}

function decodeBase64Url(segment: string): string {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The `sub` and `roles` of a JWT, or `undefined` when it is not one. */
export function readTokenClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(payload));
    if (typeof claims !== 'object' || claims === null) return undefined;
    const record = claims as Record<string, unknown>;
    const sub = typeof record.sub === 'string' ? record.sub : '';
    const roles = Array.isArray(record.roles) ? record.roles.filter((role): role is string => typeof role === 'string') : [];
    const result: TokenClaims = { sub, roles };
    if (typeof record.exp === 'number') result.exp = record.exp;
    return result;
  } catch {
    return undefined;
  }
}
