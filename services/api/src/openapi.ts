import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { errorBodySchema } from '@tidings/protocol';
import type { RouteSpec } from './http/route.ts';

const accessNote: Record<RouteSpec['access'], string> = {
  public: 'No token needed.',
  inbox: "Any user token (not a service token); acts on the caller's own inbox.",
  publisher: 'Needs the `notifications:publish` scope or the `admin` role.',
  admin: 'Needs the `admin` role.',
};

const errorContent = { 'application/json': { schema: errorBodySchema } };
const errorResponse = (description: string) => ({ description, content: errorContent });
const htmlContent = { 'text/html': { schema: { type: 'string' } } } as const;

/** The media types a route's body is read in (see `BodyFormat`). */
function requestContent(spec: RouteSpec): Record<string, { schema: unknown }> {
  if (spec.bodyFormat === 'form') return { 'application/x-www-form-urlencoded': { schema: spec.body }, 'application/json': { schema: spec.body } };
  return { 'application/json': { schema: spec.body } };
}

/** The OpenAPI 3.1 document, made from the same route specs and zod schemas the server runs. */
export function openApiDocument(routes: readonly RouteSpec[], serverUrl: string): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const spec of routes) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      const json = response.schema ? { 'application/json': { schema: response.schema } } : Number(status) >= 400 ? errorContent : undefined;
      const content = { ...json, ...(response.html ? htmlContent : {}) };
      responses[status] = Object.keys(content).length === 0 ? { description: response.description } : { description: response.description, content };
    }
    responses['400'] ??= errorResponse('Bad input: `details` names each field');
    if (spec.access !== 'public') {
      responses['401'] ??= errorResponse('Missing, malformed or expired token');
      responses['403'] ??= errorResponse('The token lacks the role or scope');
      responses['429'] ??= errorResponse('Rate limited; see Retry-After');
    }
    responses['503'] ??= errorResponse('Postgres or Redis unavailable');
    const operation: ZodOpenApiOperationObject = {
      summary: spec.summary,
      description: spec.description ? `${accessNote[spec.access]}\n\n${spec.description}` : accessNote[spec.access],
      tags: [spec.tag],
      security: spec.access === 'public' ? [] : [{ bearer: [] }],
      responses,
      ...(spec.body ? { requestBody: { required: true, content: requestContent(spec) } } : {}),
      ...(spec.query || spec.params || spec.headers
        ? {
            requestParams: {
              ...(spec.query ? { query: spec.query } : {}),
              ...(spec.params ? { path: spec.params } : {}),
              ...(spec.headers ? { header: spec.headers } : {}),
            },
          }
        : {}),
    } as ZodOpenApiOperationObject;
    paths[path] = { ...paths[path], [spec.method]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tidings API',
      version: '0.1.0',
      description: 'Create notifications, read inboxes and manage preferences. Errors are `{ "error": { "code", "message", "details"? } }`.',
    },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  });
}
