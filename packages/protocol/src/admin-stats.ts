import { z } from 'zod';
import { emailStatusSchema } from './admin.ts';
import { typeKeySchema } from './common.ts';
import { limits } from './limits.ts';

export const statsSchema = z
  .object({
    recipients: z.number().int(),
    notifications: z.number().int(),
    unread: z.number().int(),
    scheduled: z.number().int(),
    broadcasts: z.record(z.string(), z.number().int()),
    emails: z.record(z.string(), z.number().int()),
    gateways: z.number().int(),
    connections: z.number().int(),
    today: z
      .object({
        since: z.string().meta({ description: 'UTC midnight of today.' }),
        notifications: z.number().int().meta({ description: 'Rows released since then (soft-deleted ones too: they were created).' }),
        emails: z.record(z.string(), z.number().int()).meta({ description: 'Emails queued since then, by their status now.' }),
      })
      .meta({ description: 'What happened since UTC midnight.' }),
    online_users: z.number().int().meta({ description: 'Distinct users with at least one open connection, on any gateway.' }),
    per_gateway: z
      .array(z.object({ gateway_id: z.string(), connections: z.number().int(), users: z.number().int() }))
      .meta({ description: 'Every live gateway, by id: its open connections and the distinct users behind them.' }),
    queues: z.object({
      email: z
        .object({ waiting: z.number().int(), active: z.number().int(), delayed: z.number().int(), failed: z.number().int() })
        .meta({ description: 'Jobs of the email queue by state (`delayed` holds retries waiting for their backoff).' }),
    }),
  })
  .meta({ id: 'Stats' });
export type Stats = z.infer<typeof statsSchema>;

export const timeseriesBuckets = { minute: 60, hour: 3_600 } as const;
export type TimeseriesBucket = keyof typeof timeseriesBuckets;

/** How many aligned buckets of `seconds` meet the window [from, to). */
export function bucketCount(from: Date, to: Date, seconds: number): number {
  const size = seconds * 1_000;
  return Math.floor((to.getTime() - 1) / size) - Math.floor(from.getTime() / size) + 1;
}

const instant = z.iso.datetime({ offset: true });

/**
 * The window of a timeseries, resolved here once: `to` defaults to now and `from` to an hour
 * before `to`. The answer is the half-open window [from, to) cut into buckets aligned to the UTC
 * minute or hour, so the first and last bucket may cover only part of their span.
 */
export const timeseriesQuerySchema = z
  .strictObject({
    from: instant.optional().meta({ description: 'Start of the window (inclusive). Default: an hour before `to`.' }),
    to: instant.optional().meta({ description: 'End of the window (exclusive). Default: now.' }),
    bucket: z.enum(['minute', 'hour']).default('minute').meta({ description: 'Width of a bucket, aligned to the UTC minute or hour.' }),
  })
  .transform((query, ctx) => {
    const to = query.to === undefined ? new Date() : new Date(query.to);
    const from = query.from === undefined ? new Date(to.getTime() - limits.timeseriesSpanDefaultMs) : new Date(query.from);
    const problem = (path: 'from' | 'bucket', message: string) => {
      ctx.issues.push({ code: 'custom', path: [path], message, input: query[path] });
      return z.NEVER;
    };
    if (from.getTime() >= to.getTime()) return problem('from', 'must be before to');
    if (to.getTime() - from.getTime() > limits.timeseriesSpanMs)
      return problem('from', `must be at most ${limits.timeseriesSpanMs / 86_400_000} days before to`);
    const buckets = bucketCount(from, to, timeseriesBuckets[query.bucket]);
    if (buckets > limits.timeseriesBucketsMax) {
      return problem(
        'bucket',
        `this window holds ${buckets} buckets of a ${query.bucket}, at most ${limits.timeseriesBucketsMax}: use a wider bucket or a shorter window`,
      );
    }
    return { from, to, bucket: query.bucket };
  });
export type TimeseriesQuery = z.output<typeof timeseriesQuerySchema>;

export const timeseriesSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    bucket: z.enum(['minute', 'hour']),
    bucket_seconds: z.number().int(),
    notifications: z
      .array(z.object({ t: z.string(), type: typeKeySchema, count: z.number().int().positive() }))
      .meta({ description: 'Notifications created (released) per bucket and type; soft-deleted ones count.' }),
    emails: z
      .array(z.object({ t: z.string(), status: emailStatusSchema, count: z.number().int().positive() }))
      .meta({ description: 'Emails queued per bucket, by their status now.' }),
  })
  .meta({
    id: 'Timeseries',
    description: '`t` is the start of a bucket. Only buckets with a count appear, ordered by `t`, then type or status.',
  });
export type Timeseries = z.infer<typeof timeseriesSchema>;
