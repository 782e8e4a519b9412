import { z } from 'zod';
import { limits } from './limits.ts';
import { cursorSchema, dataSchema, pageLimitSchema, urlSchema } from './common.ts';
import { notificationTypeSchema } from './notification-types.ts';
import { personNameSchema } from './recipients.ts';

/**
 * What the admin console reads of the directory: recipients found by text, every notification type,
 * and emails rendered as they would go out (a type's preview, an email log's content).
 */

export const adminRecipientsQuerySchema = z.strictObject({
  limit: pageLimitSchema,
  cursor: cursorSchema.optional(),
  q: z
    .string()
    .trim()
    .min(1, 'give at least one character to search for')
    .max(limits.searchLength)
    .optional()
    .meta({ description: 'Case-insensitive: the start of the id, or any part of the email or name.' }),
});

export const adminNotificationTypeListSchema = z.object({ items: z.array(notificationTypeSchema) }).meta({ id: 'NotificationTypeList' });

export const emailPreviewSchema = z
  .strictObject({
    template: z
      .string()
      .max(limits.templateLength)
      .nullable()
      .optional()
      .meta({ description: "MJML to try. Left out: the type's saved template (or the default when it has none); `null`: the default." }),
    title: z.string().min(1).max(limits.titleLength).optional().meta({ description: 'Default: a sample title.' }),
    body: z.string().max(limits.bodyLength).optional().meta({ description: 'Default: a sample body.' }),
    action_url: urlSchema.nullable().optional(),
    data: dataSchema.optional(),
    recipient_name: personNameSchema.nullable().optional().meta({ description: 'Default: a sample name; `null`: none.' }),
  })
  .meta({ id: 'EmailPreview' });
export type EmailPreview = z.infer<typeof emailPreviewSchema>;

export const renderedEmailSchema = z
  .object({
    subject: z.string(),
    html: z.string(),
    text: z.string(),
  })
  .meta({ id: 'RenderedEmail' });
export type RenderedEmail = z.infer<typeof renderedEmailSchema>;
