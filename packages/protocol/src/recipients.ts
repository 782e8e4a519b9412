import { z } from 'zod';
import { limits } from './limits.ts';
import { roleSchema, userIdSchema } from './common.ts';

export const recipientSchema = z
  .object({
    id: userIdSchema,
    email: z.string().nullable(),
    name: z.string().nullable(),
    locale: z.string().nullable(),
    roles: z.array(z.string()),
    last_seq: z.number().int().nonnegative(),
    email_unsubscribed_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Recipient' });
export type Recipient = z.infer<typeof recipientSchema>;

/** A person's name as emails greet them: one line of at most 200 characters. */
export const personNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

export const recipientUpsertSchema = z
  .strictObject({
    email: z.email().max(320).nullable().optional(),
    name: personNameSchema.nullable().optional(),
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or pt-BR')
      .nullable()
      .optional(),
    roles: z.array(roleSchema).max(limits.rolesPerRequest).optional(),
  })
  .meta({ id: 'RecipientUpsert' });
export type RecipientUpsert = z.infer<typeof recipientUpsertSchema>;
