import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '@tidings/auth';
import type { AppError } from '@tidings/server-kit';

/**
 * Who may call a route:
 * - `public`: anyone;
 * - `inbox`: any valid token with an inbox of its own (not a service token);
 * - `publisher`: the `notifications:publish` scope or the admin role;
 * - `admin`: the admin role.
 */
export type Access = 'public' | 'inbox' | 'publisher' | 'admin';

export interface RouteResult {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** A page for people, sent instead of `body`. */
  html?: string;
  headers?: Record<string, string>;
}

/**
 * How a route's body arrives:
 * - `json` (the default);
 * - `form`: `application/x-www-form-urlencoded` as HTML forms and RFC 8058 one-click send it (JSON is
 *   accepted too; any other type reads as an empty body);
 * - `raw-json`: JSON whose exact bytes the route's `before` steps see as a Buffer in `req.body`, to
 *   check a signature over them; it is parsed after those steps.
 */
export type BodyFormat = 'json' | 'form' | 'raw-json';

export interface RouteContext<B, Q, P> {
  principal: Principal;
  body: B;
  query: Q;
  params: P;
  req: Request;
  res: Response;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

/**
 * One REST route: the express handler and the OpenAPI operation are both made from this, so a
 * path, its schemas and its access rule are written once. Without type arguments it is any route
 * (what a list of routes holds): its body, query and params are then `unknown`.
 */
export interface RouteSpec<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express syntax: `/v1/notifications/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** Said in the document after the access rule. */
  description?: string;
  /** @defaultValue `json` */
  bodyFormat?: BodyFormat;
  /**
   * Serves only the requests this admits, asked before anything else (the body is not even read);
   * any other request is routed on as if this route did not exist, to the 404 of an unknown path.
   */
  admits?: (req: Request) => boolean;
  /** Run after the body is read and before anything is validated: a signature check, a rate limit of its own. */
  before?: RequestHandler[];
  /** Renders the route's errors as a page for clients that prefer HTML (others still get the JSON shape). */
  errorPage?: (error: AppError) => string;
  body?: B;
  query?: Q;
  params?: P;
  /** Extra request headers the route reads, for the document. */
  headers?: z.ZodObject;
  /** `html`: the answer is (also) a page, by content negotiation. */
  responses: Record<number, { description: string; schema?: z.ZodType; html?: boolean }>;
  // A method, so that a route with its own schemas is also a `RouteSpec` (parameters of methods are compared bivariantly).
  handler(ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>>): Promise<RouteResult>;
}

export function route<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q, P>,
): RouteSpec<B, Q, P> {
  return spec;
}
