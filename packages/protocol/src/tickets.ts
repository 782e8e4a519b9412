import { z } from 'zod';
import { limits } from './limits.ts';
import { roleSchema, userIdSchema } from './common.ts';

export const connectTicketSchema = z
  .object({
    ticket: z.string().meta({ description: 'Pass as `?ticket=` to `GET /v1/sse` or `/v1/ws` on any gateway; good for one connection.' }),
    expires_in: z.number().int().positive().meta({ description: 'Seconds the ticket stays usable.', example: 30 }),
  })
  .meta({ id: 'ConnectTicket' });
export type ConnectTicket = z.infer<typeof connectTicketSchema>;

/** `POST /v1/dev/tokens` (development only): a token for any user, so pages can sign in on a fresh machine. */
export const devTokenRequestSchema = z
  .strictObject({
    sub: userIdSchema,
    roles: z.array(roleSchema).max(limits.rolesPerRequest).optional(),
    scope: z
      .string()
      .max(200)
      .regex(/^[\x21-\x7e ]*$/, 'printable ASCII only')
      .optional(),
  })
  .meta({ id: 'DevTokenRequest' });
export type DevTokenRequest = z.infer<typeof devTokenRequestSchema>;
export const devTokenSchema = z.object({ token: z.string() }).meta({ id: 'DevToken' });
