import { z } from 'zod';

export const connectTicketSchema = z
  .object({
    ticket: z.string().meta({ description: 'Pass as `?ticket=` to `GET /v1/sse` or `/v1/ws` on any gateway; good for one connection.' }),
    expires_in: z.number().int().positive().meta({ description: 'Seconds the ticket stays usable.', example: 30 }),
  })
  .meta({ id: 'ConnectTicket' });
export type ConnectTicket = z.infer<typeof connectTicketSchema>;
