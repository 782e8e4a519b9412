import { z } from 'zod';
import { getPreferences } from '@tidings/domain';
import { adminNotificationTypeListSchema, adminRecipientsQuerySchema, pageOf, preferencesSchema, recipientSchema, userIdSchema } from '@tidings/protocol';
import { route } from '../http/route.ts';
import type { ApiDeps } from '../deps.ts';

const tag = 'Admin';

export function adminDirectoryRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/admin/recipients',
      summary: 'Recipients by id, optionally found by text',
      tag,
      access: 'admin',
      query: adminRecipientsQuerySchema,
      responses: { 200: { description: 'A page', schema: pageOf(recipientSchema, 'RecipientPage') } },
      handler: async ({ query }) => ({ status: 200, body: await deps.directory.recipients(query) }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/users/:id/preferences',
      summary: "A recipient's preferences, as `GET /v1/preferences` answers them",
      tag,
      access: 'admin',
      params: z.strictObject({ id: userIdSchema }),
      responses: { 200: { description: 'The full document', schema: preferencesSchema }, 404: { description: 'No such recipient' } },
      handler: async ({ params }) => {
        await deps.directory.getRecipient(params.id);
        return { status: 200, body: await getPreferences(deps.database, params.id) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/admin/notification-types',
      summary: 'Every notification type, with its template',
      description:
        'Each configured type, and each type used by a send that was never configured (with the defaults: in-app on, email off, not critical; no template or timestamps), sorted by key.',
      tag,
      access: 'admin',
      responses: { 200: { description: 'The types', schema: adminNotificationTypeListSchema } },
      handler: async () => ({ status: 200, body: { items: await deps.directory.allTypes() } }),
    }),
  ];
}
