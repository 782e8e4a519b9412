import { z } from 'zod';
import { limits } from './limits.ts';
import { typeKeySchema } from './common.ts';

export const notificationTypeSchema = z
  .object({
    key: typeKeySchema,
    description: z.string().nullable(),
    default_in_app: z.boolean(),
    default_email: z.boolean(),
    critical: z.boolean(),
    template: z.string().nullable(),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .meta({ id: 'NotificationType' });
export type NotificationType = z.infer<typeof notificationTypeSchema>;

export const notificationTypeUpsertSchema = z
  .strictObject({
    description: z.string().max(limits.descriptionLength).nullable().optional(),
    default_in_app: z.boolean().optional(),
    default_email: z.boolean().optional(),
    critical: z.boolean().optional(),
    template: z.string().max(limits.templateLength).nullable().optional(),
  })
  .meta({ id: 'NotificationTypeUpsert' });
export type NotificationTypeUpsert = z.infer<typeof notificationTypeUpsertSchema>;

/** What a type that was never configured behaves as: in-app on, email off, not critical. */
export const typeDefaults = { default_in_app: true, default_email: false, critical: false } as const;

/** A type as a user sees it (`GET /v1/notification-types`): what they may set preferences for. */
export const userNotificationTypeSchema = z
  .object({
    key: typeKeySchema,
    description: z.string().nullable(),
    default_in_app: z.boolean(),
    default_email: z.boolean(),
    critical: z.boolean(),
  })
  .meta({ id: 'UserNotificationType' });
export type UserNotificationType = z.infer<typeof userNotificationTypeSchema>;
export const userNotificationTypeListSchema = z.object({ items: z.array(userNotificationTypeSchema) }).meta({ id: 'UserNotificationTypeList' });
