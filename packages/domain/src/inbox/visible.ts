import { and, isNotNull, isNull, type SQL } from 'drizzle-orm';
import { schema, type Queryable } from '@tidings/db';

const n = schema.notifications;

/**
 * A visible notification: released (it has a seq; the held rows of a scheduled send have none yet)
 * and not deleted. What an inbox lists and counts, a resume replays, the outbox relay republishes,
 * a digest lists and an operator browses.
 */
export const visibleNotification: SQL = and(isNotNull(n.seq), isNull(n.deletedAt))!;

/** `visibleNotification` for raw statements, on the notifications table as `alias` names it there. */
export const visibleNotificationSql = (sql: Queryable, alias = 'notifications') => sql`${sql(alias)}.seq is not null and ${sql(alias)}.deleted_at is null`;
