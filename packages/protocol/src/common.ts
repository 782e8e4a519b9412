import { z } from 'zod';
import { limits } from './limits.ts';

/** Rejects control characters (CR, LF, NUL…) that could split headers or log lines. */
const noControlChars = /^[^\u0000-\u001f\u007f]*$/;

export const userIdSchema = z
  .string()
  .min(1)
  .max(limits.userIdLength)
  .regex(noControlChars, 'must not contain control characters')
  .meta({ description: 'External user id (the JWT `sub`).', example: 'alice' });

export const roleSchema = z
  .string()
  .min(1)
  .max(limits.roleLength)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

export const typeKeySchema = z
  .string()
  .min(1)
  .max(limits.typeKeyLength)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits and _ . - only, starting with a letter or digit')
  .meta({ description: 'Notification type key.', example: 'comment.created' });

/**
 * A link a page renders (`icon`, `action_url`): an http(s) URL or a path on the same site. The scheme
 * is matched exactly from the first character, so `javascript:`, `data:` or `vbscript:` (in any
 * case, behind any whitespace) never pass; nor do `//host` and `/\host`, which browsers resolve to
 * another site, or control characters, which browsers strip before they parse.
 */
export const urlSchema = z
  .string()
  .max(limits.urlLength)
  .regex(
    /^(?:https?:\/\/[^\s\u0000-\u001f\u007f]*|\/(?:[^\s\u0000-\u001f\u007f/\\][^\s\u0000-\u001f\u007f]*)?)$/,
    'must be an http(s) URL or an absolute path (not //host)',
  );

export const uuidSchema = z.uuid();

export const prioritySchema = z.enum(['low', 'normal', 'high', 'critical']);
export type Priority = z.infer<typeof prioritySchema>;

/** Free-form JSON object attached to a notification, at most `limits.dataBytes` serialised. */
export const dataSchema = z.record(z.string(), z.unknown()).refine((value) => Buffer.byteLength(JSON.stringify(value)) <= limits.dataBytes, {
  message: `must serialise to at most ${limits.dataBytes} bytes of JSON`,
});

/** Query-string boolean: only the words true/false and 1/0 are accepted. */
export const queryBoolean = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const pageLimitSchema = z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault);

export const cursorSchema = z.string().min(1).max(200);

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
