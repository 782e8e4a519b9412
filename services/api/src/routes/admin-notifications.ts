import { z } from 'zod';
import { adminNotificationsQuerySchema, notificationSchema, pageOf, uuidSchema } from '@tidings/protocol';
import { route } from '../http/route.ts';
import type { ApiDeps } from '../deps.ts';

const tag = 'Admin';
const idParams = z.strictObject({ id: uuidSchema });

export function adminNotificationRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/admin/notifications',
      summary: 'All notifications, newest first',
      description:
        "What the users' inboxes show (released, not deleted), filtered by any of `user_id`, `type`, `broadcast_id`, `is_read`, `q` (the inbox search: text in the title or body) and `from`/`to` (created in [from, to)).",
      tag,
      access: 'admin',
      query: adminNotificationsQuerySchema,
      responses: { 200: { description: 'A page', schema: pageOf(notificationSchema, 'AdminNotificationPage') } },
      handler: async ({ query }) => ({ status: 200, body: await deps.admin.notifications(query) }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/notifications/:id',
      summary: "Get any user's notification",
      tag,
      access: 'admin',
      params: idParams,
      responses: { 200: { description: 'The notification', schema: notificationSchema }, 404: { description: 'Unknown or deleted' } },
      handler: async ({ params }) => ({ status: 200, body: await deps.adminNotifications.get(params.id) }),
    }),
    route({
      method: 'delete',
      path: '/v1/admin/notifications/:id',
      summary: "Delete any user's notification",
      description: 'As if its user deleted it: it leaves their inbox, and their unread count and open connections follow.',
      tag,
      access: 'admin',
      params: idParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'Unknown or already deleted' } },
      handler: async ({ params, principal }) => {
        const owner = await deps.adminNotifications.delete(params.id);
        deps.logger.info({ by: principal.userId, user: owner, notification: params.id }, 'notification deleted by admin');
        return { status: 204 };
      },
    }),
  ];
}
