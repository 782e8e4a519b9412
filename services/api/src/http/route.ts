import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '@tidings/auth';

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
  body?: unknown;
  headers?: Record<string, string>;
}

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
 * path, its schemas and its access rule are written once.
 */
export interface RouteSpec<B extends z.ZodType | undefined = any, Q extends z.ZodType | undefined = any, P extends z.ZodType | undefined = any> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express syntax: `/v1/notifications/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Extra request headers the route reads, for the document. */
  headers?: z.ZodObject;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handler: (ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>>) => Promise<RouteResult>;
}

export function route<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q, P>,
): RouteSpec<B, Q, P> {
  return spec;
}
