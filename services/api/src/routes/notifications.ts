import { z } from 'zod';
import {
  bulkDeleteResultSchema,
  bulkDeleteSchema,
  bulkReadResultSchema,
  bulkReadSchema,
  createNotificationResultSchema,
  createNotificationSchema,
  dryRunResultSchema,
  limits,
  listNotificationsQuerySchema,
  notificationPageSchema,
  notificationSchema,
  readAllResultSchema,
  readAllSchema,
  unreadCountSchema,
  uuidSchema,
} from '@tidings/protocol';
import { countRecipients, createNotifications } from '@tidings/domain';
import { route } from '../http/route.ts';
import { parseOrThrow } from '../http/validate.ts';
import type { ApiDeps } from '../deps.ts';

const idParams = z.strictObject({ id: uuidSchema });
const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(limits.idempotencyKeyLength)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .meta({ description: 'Same key and same body give the same answer and no second row.' }),
});
const tag = 'Notifications';

export function notificationRoutes(deps: ApiDeps) {
  // `unread-count` comes before `:id`, which would otherwise take it.
  return [createRoute(deps), ...inboxListRoutes(deps), ...bulkRoutes(deps), ...oneNotificationRoutes(deps)];
}

function createRoute(deps: ApiDeps) {
  return route({
    method: 'post',
    path: '/v1/notifications',
    summary: 'Create a notification for users, roles or everyone',
    description:
      'With `"dry_run": true` nothing is written or sent (no recipient is created, an Idempotency-Key is neither ' +
      'checked against earlier requests nor recorded): the answer is the `recipient_count` the same request would give now.',
    tag,
    access: 'publisher',
    body: createNotificationSchema,
    headers: idempotencyHeader,
    responses: {
      200: { description: 'Dry run: the recipients it would reach', schema: dryRunResultSchema },
      201: { description: 'Created and published', schema: createNotificationResultSchema },
      202: { description: 'Scheduled for `send_at`', schema: createNotificationResultSchema },
      422: { description: 'The Idempotency-Key was used with another body' },
    },
    handler: async ({ principal, body, req }) => {
      const idempotencyKey = parseOrThrow(idempotencyHeader, { 'idempotency-key': req.get('idempotency-key') }, 'header')['idempotency-key'];
      if (body.dry_run === true) {
        const recipientCount = await countRecipients(deps.create.sql, body);
        deps.logger.debug({ by: principal.userId, type: body.type, recipients: recipientCount }, 'notification dry run');
        return { status: 200, body: { recipient_count: recipientCount } };
      }
      const outcome = await createNotifications(deps.create, { createdBy: principal.userId, input: body, idempotencyKey });
      deps.logger.info(
        {
          by: principal.userId,
          type: body.type,
          broadcast: outcome.result.broadcast_id,
          recipients: outcome.result.recipient_count,
          replayed: outcome.replayed,
        },
        outcome.replayed ? 'notification create replayed' : `notification ${outcome.result.status}`,
      );
      return {
        status: outcome.result.status === 'scheduled' ? 202 : 201,
        body: outcome.result,
        headers: outcome.replayed ? { 'Idempotent-Replayed': 'true' } : undefined,
      };
    },
  });
}

function inboxListRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/notifications',
      summary: 'List my notifications, newest first',
      tag,
      access: 'inbox',
      query: listNotificationsQuerySchema,
      responses: { 200: { description: 'A page', schema: notificationPageSchema } },
      handler: async ({ principal, query }) => ({ status: 200, body: await deps.inbox.list(principal.userId, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/notifications/unread-count',
      summary: 'Count my unread notifications',
      tag,
      access: 'inbox',
      responses: { 200: { description: 'The count', schema: unreadCountSchema } },
      handler: async ({ principal }) => ({ status: 200, body: { count: await deps.inbox.unreadCount(principal.userId) } }),
    }),
  ];
}

function bulkRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'post',
      path: '/v1/notifications/read-all',
      summary: 'Mark all my notifications read, optionally of one type',
      tag,
      access: 'inbox',
      body: readAllSchema,
      responses: { 200: { description: 'How many changed', schema: readAllResultSchema } },
      handler: async ({ principal, body }) => ({ status: 200, body: { updated: await deps.inbox.markAllRead(principal.userId, body.type) } }),
    }),
    route({
      method: 'post',
      path: '/v1/notifications/read',
      summary: 'Mark several of my notifications read',
      description: `Up to ${limits.idsPerBulkRequest} ids in one statement. Ids that are unknown, another user's or already read do not count in \`updated\`; every connection of the caller hears about the ones that changed.`,
      tag,
      access: 'inbox',
      body: bulkReadSchema,
      responses: { 200: { description: 'How many changed', schema: bulkReadResultSchema } },
      handler: async ({ principal, body }) => ({ status: 200, body: { updated: (await deps.inbox.setRead(principal.userId, body.ids, true)).length } }),
    }),
    route({
      method: 'post',
      path: '/v1/notifications/delete',
      summary: 'Delete several of my notifications, or all the read ones',
      description: `\`{ ids }\` (up to ${limits.idsPerBulkRequest}) or \`{ all_read: true }\`, in one statement; a soft delete like \`DELETE /v1/notifications/{id}\`. Ids that are unknown or another user's do not count in \`deleted\`.`,
      tag,
      access: 'inbox',
      body: bulkDeleteSchema,
      responses: { 200: { description: 'How many were deleted', schema: bulkDeleteResultSchema } },
      handler: async ({ principal, body }) => ({ status: 200, body: { deleted: await deps.inbox.deleteMany(principal.userId, body) } }),
    }),
  ];
}

function oneNotificationRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/notifications/:id',
      summary: 'Get one of my notifications',
      tag,
      access: 'inbox',
      params: idParams,
      responses: { 200: { description: 'The notification', schema: notificationSchema }, 404: { description: 'Not mine or not there' } },
      handler: async ({ principal, params }) => ({ status: 200, body: await deps.inbox.get(principal.userId, params.id) }),
    }),
    ...(['read', 'unread'] as const).map((state) =>
      route({
        method: 'post',
        path: `/v1/notifications/:id/${state}`,
        summary: `Mark one of my notifications ${state}`,
        tag,
        access: 'inbox',
        params: idParams,
        responses: { 204: { description: 'Done (also when it already was)' }, 404: { description: 'Not mine or not there' } },
        handler: async ({ principal, params }) => {
          await deps.inbox.setOneRead(principal.userId, params.id, state === 'read');
          return { status: 204 };
        },
      }),
    ),
    route({
      method: 'delete',
      path: '/v1/notifications/:id',
      summary: 'Delete one of my notifications',
      tag,
      access: 'inbox',
      params: idParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'Not mine or not there' } },
      handler: async ({ principal, params }) => {
        await deps.inbox.delete(principal.userId, params.id);
        return { status: 204 };
      },
    }),
  ];
}
