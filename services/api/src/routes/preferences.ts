import { preferencesSchema, preferencesUpdateSchema, userNotificationTypeListSchema } from '@tidings/protocol';
import { getPreferences, updatePreferences } from '@tidings/domain';
import { route } from '../http/route.ts';
import type { ApiDeps } from '../deps.ts';

export function preferenceRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/preferences',
      summary: 'Get my preferences',
      tag: 'Preferences',
      access: 'inbox',
      responses: { 200: { description: 'The full document', schema: preferencesSchema } },
      handler: async ({ principal }) => ({ status: 200, body: await getPreferences(deps.database, principal.userId) }),
    }),
    route({
      method: 'put',
      path: '/v1/preferences',
      summary: 'Change any part of my preferences',
      tag: 'Preferences',
      access: 'inbox',
      body: preferencesUpdateSchema,
      responses: { 200: { description: 'The full document after the change', schema: preferencesSchema } },
      handler: async ({ principal, body }) => {
        const preferences = await updatePreferences(deps.database, principal.userId, body);
        deps.logger.info({ user: principal.userId, changed: Object.keys(body) }, 'preferences updated');
        return { status: 200, body: preferences };
      },
    }),
    route({
      method: 'get',
      path: '/v1/notification-types',
      summary: 'List the notification types I may set preferences for',
      description:
        'Every configured type, and every type the caller has received that was never configured (with the defaults: in-app on, email off, not critical), sorted by key.',
      tag: 'Preferences',
      access: 'inbox',
      responses: { 200: { description: 'The types', schema: userNotificationTypeListSchema } },
      handler: async ({ principal }) => ({ status: 200, body: { items: await deps.directory.userTypes(principal.userId) } }),
    }),
  ];
}
