import { z } from 'zod';
import { limits, statsSchema, timeseriesQuerySchema, timeseriesSchema } from '@tidings/protocol';
import { route } from '../http/route.ts';
import type { ApiDeps } from '../deps.ts';

const tag = 'Admin';

export function adminStatsRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/v1/admin/stats',
      summary: 'Counts across the system, today, per gateway and in the email queue',
      tag,
      access: 'admin',
      query: z.strictObject({}),
      responses: { 200: { description: 'The counts', schema: statsSchema } },
      handler: async () => ({ status: 200, body: await deps.stats.overview() }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/stats/timeseries',
      summary: 'Notifications created by type and emails queued by status, per minute or hour',
      description:
        `The window [from, to) spans at most ${limits.timeseriesSpanMs / 86_400_000} days and ${limits.timeseriesBucketsMax.toLocaleString('en-US')} buckets ` +
        '(a day by minute fits; a week needs `bucket=hour`).',
      tag,
      access: 'admin',
      query: timeseriesQuerySchema,
      responses: { 200: { description: 'Non-zero counts per bucket', schema: timeseriesSchema } },
      handler: async ({ query }) => ({ status: 200, body: await deps.stats.timeseries(query) }),
    }),
  ];
}
