import { z } from 'zod';
import { notificationTypeSchema, notificationTypeUpsertSchema, recipientSchema, recipientUpsertSchema, typeKeySchema, userIdSchema } from '@tidings/protocol';
import { route } from '../http/route.ts';
import { checkTemplate } from '../http/template-problems.ts';
import type { ApiDeps } from '../deps.ts';

const recipientParams = z.strictObject({ id: userIdSchema });
const typeParams = z.strictObject({ key: typeKeySchema });

export function directoryRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/recipients/:id',
      summary: 'Get a recipient',
      tag: 'Recipients',
      access: 'publisher',
      params: recipientParams,
      responses: { 200: { description: 'The recipient', schema: recipientSchema }, 404: { description: 'Unknown' } },
      handler: async ({ params }) => ({ status: 200, body: await deps.directory.getRecipient(params.id) }),
    }),
    route({
      method: 'put',
      path: '/v1/recipients/:id',
      summary: 'Create or update a recipient',
      tag: 'Recipients',
      access: 'publisher',
      params: recipientParams,
      body: recipientUpsertSchema,
      responses: { 200: { description: 'The recipient', schema: recipientSchema } },
      handler: async ({ params, body, principal }) => {
        const { recipient, created } = await deps.directory.upsertRecipient(params.id, body);
        deps.logger.info({ by: principal.userId, recipient: params.id, created }, created ? 'recipient created' : 'recipient updated');
        return { status: 200, body: recipient };
      },
    }),
    route({
      method: 'delete',
      path: '/v1/recipients/:id',
      summary: 'Delete a recipient with their notifications, preferences and email logs',
      tag: 'Recipients',
      access: 'publisher',
      params: recipientParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'Unknown' } },
      handler: async ({ params, principal }) => {
        await deps.directory.deleteRecipient(params.id);
        deps.logger.info({ by: principal.userId, recipient: params.id }, 'recipient deleted');
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/v1/notification-types/:key',
      summary: 'Get a notification type (an unconfigured one answers its defaults)',
      tag: 'Notification types',
      access: 'publisher',
      params: typeParams,
      responses: { 200: { description: 'The type', schema: notificationTypeSchema } },
      handler: async ({ params }) => ({ status: 200, body: await deps.directory.getType(params.key) }),
    }),
    route({
      method: 'put',
      path: '/v1/notification-types/:key',
      summary: 'Create or update a notification type',
      tag: 'Notification types',
      access: 'publisher',
      params: typeParams,
      body: notificationTypeUpsertSchema,
      responses: { 200: { description: 'The type', schema: notificationTypeSchema } },
      handler: async ({ params, body, principal }) => {
        await checkTemplate(body.template);
        const { type, created } = await deps.directory.upsertType(params.key, body);
        deps.logger.info({ by: principal.userId, type: params.key, created }, created ? 'notification type created' : 'notification type updated');
        return { status: 200, body: type };
      },
    }),
  ];
}
