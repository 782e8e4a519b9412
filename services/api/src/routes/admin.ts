import { z } from 'zod';
import {
  adminBroadcastsQuerySchema,
  adminConnectionsQuerySchema,
  adminEmailLogsQuerySchema,
  adminSuppressionsQuerySchema,
  broadcastSchema,
  connectionSchema,
  createSuppressionSchema,
  emailLogSchema,
  emailSuppressionSchema,
  pageOf,
  suppressionAddressParamsSchema,
  userIdSchema,
  uuidSchema,
} from '@tidings/protocol';
import { route } from '../http/route.ts';
import type { ApiDeps } from '../deps.ts';

const tag = 'Admin';

export function adminRoutes(deps: ApiDeps) {
  return [...broadcastRoutes(deps), ...emailLogListRoutes(deps), ...suppressionRoutes(deps), ...connectionRoutes(deps)];
}

function broadcastRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/admin/broadcasts',
      summary: 'Every send request, newest first',
      tag,
      access: 'admin',
      query: adminBroadcastsQuerySchema,
      responses: { 200: { description: 'A page', schema: pageOf(broadcastSchema, 'BroadcastPage') } },
      handler: async ({ query }) => ({ status: 200, body: await deps.admin.broadcasts(query) }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/broadcasts/:id/cancel',
      summary: 'Cancel a scheduled broadcast before its time',
      tag,
      access: 'admin',
      params: z.strictObject({ id: uuidSchema }),
      responses: { 204: { description: 'Cancelled' }, 404: { description: 'Unknown' }, 409: { description: 'Not scheduled any more' } },
      handler: async ({ params, principal }) => {
        await deps.admin.cancelBroadcast(params.id);
        deps.logger.info({ by: principal.userId, broadcast: params.id }, 'broadcast cancelled');
        return { status: 204 };
      },
    }),
  ];
}

/** The list only: one log and its rendering are in admin-emails.ts. */
function emailLogListRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/admin/email-logs',
      summary: 'Email delivery logs, newest first',
      tag,
      access: 'admin',
      query: adminEmailLogsQuerySchema,
      responses: { 200: { description: 'A page', schema: pageOf(emailLogSchema, 'EmailLogPage') } },
      handler: async ({ query }) => ({ status: 200, body: await deps.admin.emailLogs(query) }),
    }),
  ];
}

function suppressionRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/admin/email-suppressions',
      summary: 'Addresses that get no email (bounced, complained, or blocked by hand), newest first',
      tag,
      access: 'admin',
      query: adminSuppressionsQuerySchema,
      responses: { 200: { description: 'A page', schema: pageOf(emailSuppressionSchema, 'EmailSuppressionPage') } },
      handler: async ({ query }) => ({ status: 200, body: await deps.admin.suppressions(query) }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/email-suppressions',
      summary: 'Block an address by hand',
      tag,
      access: 'admin',
      body: createSuppressionSchema,
      responses: {
        201: { description: 'Blocked', schema: emailSuppressionSchema },
        200: { description: 'Already suppressed; the existing entry', schema: emailSuppressionSchema },
      },
      handler: async ({ body, principal }) => {
        const { suppression, created } = await deps.admin.suppress(body.address, body.detail);
        if (created) deps.logger.info({ by: principal.userId, address: suppression.address }, 'address suppressed by hand');
        return { status: created ? 201 : 200, body: suppression };
      },
    }),
    route({
      method: 'delete',
      path: '/v1/admin/email-suppressions/:address',
      summary: 'Let email go to an address again',
      tag,
      access: 'admin',
      params: suppressionAddressParamsSchema,
      responses: { 204: { description: 'Removed' }, 404: { description: 'Not suppressed' } },
      handler: async ({ params, principal }) => {
        await deps.admin.unsuppress(params.address);
        deps.logger.info({ by: principal.userId, address: params.address.toLowerCase() }, 'suppression removed');
        return { status: 204 };
      },
    }),
  ];
}

function connectionRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/admin/connections',
      summary: 'Open connections on live gateways, of one user or everyone',
      tag,
      access: 'admin',
      query: adminConnectionsQuerySchema,
      responses: { 200: { description: 'The connections', schema: z.object({ items: z.array(connectionSchema) }) } },
      handler: async ({ query }) => ({ status: 200, body: { items: await deps.presence.connections(query.user_id) } }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/users/:id/disconnect',
      summary: 'Close every connection of a user (close code 4003), on whichever gateway holds it',
      tag,
      access: 'admin',
      params: z.strictObject({ id: userIdSchema }),
      responses: {
        202: { description: 'Sent to the gateways', schema: z.object({ connections: z.number().int() }) },
        503: { description: 'Redis is unavailable' },
      },
      handler: async ({ params, principal }) => {
        const connections = await deps.presence.connections(params.id);
        await deps.publisher.send([{ kind: 'disconnect', user_id: params.id, reason: 'disconnected by an admin' }]);
        deps.logger.info({ by: principal.userId, user: params.id, connections: connections.length }, 'user disconnected by admin');
        return { status: 202, body: { connections: connections.length } };
      },
    }),
  ];
}
