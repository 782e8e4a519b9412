import { z } from 'zod';

/**
 * The public email routes: the unsubscribe link behind every email (`/v1/unsubscribe?token=`) and
 * the provider's report of bounces and complaints (`POST /v1/webhooks/email-events`).
 */

/** Most events in one webhook call. */
export const emailEventsPerRequest = 1_000;
/** Longest `reason` of an event, in characters. */
export const emailEventReasonLength = 1_000;
/** Longest `message_id`: a header line's limit (RFC 5322). */
export const messageIdLength = 998;

/** What an unsubscribe stops: every email, or the emails of the type the link was made for. */
export const unsubscribeScopeSchema = z.enum(['all', 'type']);
export type UnsubscribeScope = z.infer<typeof unsubscribeScopeSchema>;

/**
 * A token that is missing, repeated or not a string reads as absent, so every bad link answers the
 * same `invalid_token`. Other parameters (a mail client's tracking ones) are ignored.
 */
export const unsubscribeQuerySchema = z.object({
  token: z
    .string()
    .optional()
    .catch(undefined)
    .meta({ description: "The signed token from the email's link.", example: 'eyJ1IjoiYWxpY2UiLCJ0IjoiY29tbWVudCIsImlhdCI6MX0.c2lnbmF0dXJl' }),
});

/**
 * The one-click POST. RFC 8058 senders post `List-Unsubscribe=One-Click` (the body may also be
 * multipart or absent: the POST itself is the request); the confirmation page's buttons post `scope`.
 * Unknown fields are ignored, as a mail provider's extras must not fail an unsubscribe.
 */
export const unsubscribeFormSchema = z
  .object({
    'List-Unsubscribe': z.literal('One-Click').optional(),
    scope: unsubscribeScopeSchema
      .optional()
      .meta({ description: 'Default: `type` when the link was made for one type, else `all`. `type` with an all-email link is a 400.' }),
  })
  .meta({ id: 'UnsubscribeForm' });
export type UnsubscribeForm = z.infer<typeof unsubscribeFormSchema>;

export const unsubscribeResultSchema = z
  .object({
    unsubscribed: unsubscribeScopeSchema,
    /** Present when `unsubscribed` is `type`. */
    type: z.string().optional(),
  })
  .meta({ id: 'UnsubscribeResult' });
export type UnsubscribeResult = z.infer<typeof unsubscribeResultSchema>;

export const emailEventSchema = z
  .strictObject({
    type: z.enum(['bounced', 'complained']),
    email: z.email().max(320),
    message_id: z.string().min(1).max(messageIdLength).optional().meta({ description: "The Message-ID the email went out with; marks that email's log." }),
    reason: z.string().max(emailEventReasonLength).optional(),
  })
  .meta({ id: 'EmailEvent' });
export type EmailEventInput = z.infer<typeof emailEventSchema>;

export const emailEventsSchema = z
  .strictObject({
    events: z.array(emailEventSchema).min(1).max(emailEventsPerRequest),
  })
  .meta({ id: 'EmailEvents' });

export const emailEventsResultSchema = z
  .object({
    received: z.number().int().nonnegative(),
    /** Email logs found by `message_id` and marked. */
    matched: z.number().int().nonnegative(),
  })
  .meta({ id: 'EmailEventsResult' });

/** Header of a webhook call: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const webhookSignatureHeader = 'x-tidings-signature';
