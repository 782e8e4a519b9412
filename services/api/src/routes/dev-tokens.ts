import { createSigner } from '@tidings/auth';
import { DEV_JWT_SECRET } from '@tidings/config';
import { devTokenRequestSchema, devTokenSchema } from '@tidings/protocol';
import { isDevelopmentRequest } from '../http/development.ts';
import { route } from '../http/route.ts';
import type { ApiDeps } from '../deps.ts';

/** How long a development token lasts: a working day, so a demo page does not have to sign in again. */
export const DEV_TOKEN_TTL_S = 12 * 3_600;

/**
 * Development tokens are signed only with the development secret, which production refuses to
 * start with: a token this route mints can never open a real deployment, even one that forgot to
 * set NODE_ENV or has another service on its host that can be made to call loopback.
 */
export function usesDevelopmentKey(config: ApiDeps['config']): boolean {
  return config.JWT_PUBLIC_KEY === undefined && config.JWT_SECRET === DEV_JWT_SECRET;
}

/**
 * `POST /v1/dev/tokens`, so the demo page and the console can sign in on a fresh machine. The route
 * exists only with NODE_ENV=development and the development secret (so it is in the OpenAPI document only then), and even
 * there it answers only a client on this machine; anything else is routed on to the 404 of an
 * unknown path, before its body is read.
 */
export function devTokenRoutes(deps: ApiDeps) {
  if (deps.config.NODE_ENV !== 'development' || !usesDevelopmentKey(deps.config)) return [];
  const signer = createSigner(deps.config);
  return [
    route({
      method: 'post',
      path: '/v1/dev/tokens',
      summary: 'Development only: a signed token for any user',
      description:
        'Only with `NODE_ENV=development`, and only for a client on this machine: the connection comes from a loopback address (never judged by X-Forwarded-For), carries no proxy headers (Forwarded, X-Forwarded-For, X-Real-IP) and names this machine in Host. Any other request gets the 404 of an unknown route. The token is signed with the configured key and lasts 12 hours.',
      tag: 'Development',
      access: 'public',
      admits: (req) => isDevelopmentRequest(req, deps.config),
      body: devTokenRequestSchema,
      responses: { 201: { description: 'A token for `sub`', schema: devTokenSchema } },
      handler: async ({ body }) => {
        const token = signer({ sub: body.sub, roles: body.roles, scope: body.scope, expiresIn: DEV_TOKEN_TTL_S });
        deps.logger.info({ sub: body.sub, roles: body.roles ?? [], scope: body.scope }, 'development token issued');
        return { status: 201, body: { token }, headers: { 'cache-control': 'no-store' } };
      },
    }),
  ];
}
