import { TemplateError } from './placeholders.ts';
import type { DigestItem, EmailRenderer, RenderedEmail } from './templates.ts';
import { signUnsubscribe, unsubscribeUrl } from './unsubscribe.ts';

/** An email log's content as it stands now: the send it carries, or the window of a digest. */
export interface EmailContent {
  userId: string;
  recipientName: string | null;
  notification?:
    | {
        type: string;
        title: string;
        body: string;
        actionUrl: string | null;
        data: Record<string, unknown>;
        /** The type's MJML override, if any. */
        template: string | null;
      }
    | undefined;
  digest?: { period: 'daily' | 'weekly'; since: Date; until: Date } | undefined;
}

/** The email has nothing to render: the send it carried is gone. As final as a broken template. */
export class ContentGoneError extends TemplateError {
  constructor() {
    super('the email has no content: its send is gone');
    this.name = 'ContentGoneError';
  }
}

export interface EmailComposerOptions {
  renderer: EmailRenderer;
  publicUrl: string;
  unsubscribeSecret: string;
  /** What a user's digest lists for a window, read when it is rendered (items read since drop out). */
  digestItems(userId: string, since: Date, until: Date): Promise<DigestItem[]>;
}

export interface EmailComposer {
  /** The signed unsubscribe link: from every email, or (with `type`) from that type's emails only. */
  unsubscribeLink(userId: string, type?: string): string;
  /**
   * Renders an email the one way the worker sends it and the console shows it. Null: a digest whose
   * items were all read (or opted out of) since it was opened. Throws a TemplateError for a broken
   * template and a ContentGoneError when the send is gone.
   */
  render(email: EmailContent): Promise<RenderedEmail | null>;
}

export function emailComposer(options: EmailComposerOptions): EmailComposer {
  const { renderer } = options;
  const unsubscribeLink = (userId: string, type?: string) => unsubscribeUrl(options.publicUrl, signUnsubscribe(options.unsubscribeSecret, { userId, type }));

  async function render(email: EmailContent): Promise<RenderedEmail | null> {
    if (email.notification) {
      const { notification } = email;
      return renderer.render({
        type: notification.type,
        title: notification.title,
        body: notification.body,
        actionUrl: notification.actionUrl,
        data: notification.data,
        template: notification.template,
        recipientName: email.recipientName,
        // The footer link can stop this type only (the page offers all email too).
        unsubscribeUrl: unsubscribeLink(email.userId, notification.type),
      });
    }
    if (email.digest) {
      const items = await options.digestItems(email.userId, email.digest.since, email.digest.until);
      if (items.length === 0) return null;
      return renderer.renderDigest({ period: email.digest.period, items, recipientName: email.recipientName, unsubscribeUrl: unsubscribeLink(email.userId) });
    }
    throw new ContentGoneError();
  }

  return { unsubscribeLink, render };
}
