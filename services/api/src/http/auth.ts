import type { RequestHandler, Response } from 'express';
import { TokenError, type Principal } from '@tidings/auth';
import { AppError } from '@tidings/server-kit';
import type { Access } from './route.ts';

export type Verify = (token: string | undefined) => Principal;

function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new TokenError('invalid', 'the Authorization header must be "Bearer <token>"');
  return match[1];
}

/**
 * The principal `authorize` left in `res.locals`: undefined on a public route, before authorization,
 * and on a response express has not seen (no `locals` yet).
 */
export function principalOf(res: Response): Principal | undefined {
  return res.locals?.principal as Principal | undefined;
}

/** Authenticates the bearer token and checks the route's access rule; the principal lands in `res.locals`. */
export function authorize(verify: Verify, access: Exclude<Access, 'public'>): RequestHandler {
  return (req, res, next) => {
    let principal: Principal;
    try {
      principal = verify(bearer(req.headers.authorization));
    } catch (error) {
      if (error instanceof TokenError) {
        next(new AppError(error.reason === 'expired' ? 'token_expired' : 'unauthorized', error.message));
        return;
      }
      throw error;
    }
    res.locals.principal = principal;
    if (access === 'admin' && !principal.isAdmin) {
      next(new AppError('forbidden', 'this route needs the admin role'));
    } else if (access === 'publisher' && !principal.canPublish) {
      next(new AppError('forbidden', 'this route needs the notifications:publish scope or the admin role'));
    } else if (access === 'inbox' && principal.isService) {
      next(new AppError('forbidden', 'a service token has no inbox; use a user token'));
    } else {
      next();
    }
  };
}
