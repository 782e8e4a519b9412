import { and, eq } from 'drizzle-orm';
import { schema, type Database } from '@tidings/db';
import type { Notification } from '@tidings/protocol';
import { notFound } from '@tidings/server-kit';
import type { Inbox } from '../inbox/inbox.ts';
import { notificationColumns, toNotification } from '../inbox/rows.ts';
import { visibleNotification } from '../inbox/visible.ts';

const n = schema.notifications;

/** One notification of any user, as an operator sees and removes it. */
export class AdminNotifications {
  constructor(
    private readonly database: Database,
    private readonly inbox: Inbox,
  ) {}

  /** A visible notification; 404 otherwise (a held scheduled one too). */
  async get(id: string): Promise<Notification> {
    const [row] = await this.database.db
      .select(notificationColumns)
      .from(n)
      .where(and(eq(n.id, id), visibleNotification));
    if (!row) throw notFound('notification');
    return toNotification(row);
  }

  /**
   * Deletes it as its user would: through the inbox, so their unread count and every open
   * connection follow. Answers the owner.
   */
  async delete(id: string): Promise<string> {
    const { user_id: userId } = await this.get(id);
    await this.inbox.delete(userId, id);
    return userId;
  }
}
