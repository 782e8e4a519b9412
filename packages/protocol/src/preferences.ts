import { z } from 'zod';
import { typeKeySchema } from './common.ts';

export const digestSchema = z.enum(['off', 'daily', 'weekly']);

export const typePreferenceSchema = z.strictObject({
  in_app: z.boolean().optional(),
  email: z.boolean().optional(),
});
export type TypePreference = z.infer<typeof typePreferenceSchema>;

export const preferencesSchema = z
  .object({
    in_app_enabled: z.boolean(),
    email_enabled: z.boolean(),
    digest: digestSchema,
    types: z.record(z.string(), typePreferenceSchema),
  })
  .meta({ id: 'Preferences' });
export type Preferences = z.infer<typeof preferencesSchema>;

/**
 * `PUT /v1/preferences` takes any part of the document. `types` is merged per type: a type set to
 * `null` drops its override, so the type falls back to its defaults.
 */
export const preferencesUpdateSchema = z
  .strictObject({
    in_app_enabled: z.boolean().optional(),
    email_enabled: z.boolean().optional(),
    digest: digestSchema.optional(),
    types: z
      .record(typeKeySchema, typePreferenceSchema.nullable())
      .refine((types) => Object.keys(types).length <= 500, { message: 'at most 500 per-type overrides' })
      .optional(),
  })
  .meta({ id: 'PreferencesUpdate' });
export type PreferencesUpdate = z.infer<typeof preferencesUpdateSchema>;
