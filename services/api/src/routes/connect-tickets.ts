import { TICKET_TTL_S } from '@tidings/cluster';
import { connectTicketSchema } from '@tidings/protocol';
import { route } from '../http/route.ts';
import type { ApiDeps } from '../deps.ts';

export function connectTicketRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'post',
      path: '/v1/connect-tickets',
      summary: 'Get a one-time ticket to open a stream',
      description:
        'For clients that cannot send a header when they connect (EventSource, some WebSocket clients): the ticket goes in the URL instead of the token, lets one connection in on any gateway within `expires_in` seconds, and then is gone. The stream lasts until the token this request was made with expires.',
      tag: 'Real-time',
      access: 'inbox',
      responses: { 201: { description: 'A ticket for the caller', schema: connectTicketSchema } },
      handler: async ({ principal }) => {
        const ticket = await deps.tickets.issue({ user_id: principal.userId, roles: principal.roles, expires_at: principal.expiresAt });
        return { status: 201, body: { ticket, expires_in: TICKET_TTL_S }, headers: { 'cache-control': 'no-store' } };
      },
    }),
  ];
}
