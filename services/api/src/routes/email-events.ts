import { z } from 'zod';
import { recordEmailEvents } from '@tidings/domain';
import { emailEventsResultSchema, emailEventsSchema, webhookSignatureHeader } from '@tidings/protocol';
import type { ApiDeps } from '../deps.ts';
import { route } from '../http/route.ts';
import { requireWebhookSignature, signatureToleranceSeconds } from '../http/webhook-signature.ts';

const signatureHeaders = z.object({
  [webhookSignatureHeader]: z.string().meta({ description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with EMAIL_WEBHOOK_SECRET.' }),
});

/** Bounces and complaints reported by the email provider (or a relay that translates its format). */
export function emailEventRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'post',
      path: '/v1/webhooks/email-events',
      summary: 'Report bounced and complained emails',
      tag: 'Email',
      access: 'public',
      description:
        `Signed instead of a token: \`X-Tidings-Signature\` carries an HMAC-SHA256 of \`<t>.<raw body>\` with EMAIL_WEBHOOK_SECRET, ` +
        `t within ${signatureToleranceSeconds} s of the server's clock. Each address is suppressed (no more email to it); ` +
        "an event with `message_id` also marks that email's log (`bounced`, or its error says `complained`).",
      bodyFormat: 'raw-json',
      before: [requireWebhookSignature(deps.config.EMAIL_WEBHOOK_SECRET, 'EMAIL_WEBHOOK_SECRET')],
      headers: signatureHeaders,
      body: emailEventsSchema,
      responses: {
        200: { description: 'Recorded', schema: emailEventsResultSchema },
        401: { description: '`invalid_signature`: missing, wrong or stale signature' },
        503: { description: '`not_configured` while EMAIL_WEBHOOK_SECRET is unset, or Postgres unavailable' },
      },
      handler: async ({ body }) => {
        const events = body.events.map((event) => ({ type: event.type, email: event.email, messageId: event.message_id, reason: event.reason }));
        const matched = await recordEmailEvents(deps.database.sql, events);
        deps.logger.info({ received: events.length, matched }, 'email events recorded');
        return { status: 200, body: { received: events.length, matched } };
      },
    }),
  ];
}
