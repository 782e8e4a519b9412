import { LoadMore, QueryState, Section } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { NotificationTable } from '../notifications/NotificationTable.tsx';
import { allItems, useNotificationPages } from '../notifications/queries.ts';
import { strings } from './strings.ts';

/** The recipient's notifications as their inbox lists them, with read state. */
export function RecipientInbox({ userId }: { userId: string }) {
  const t = useStrings(strings);
  const query = useNotificationPages({ user_id: userId });
  return (
    <Section title={t('inbox')}>
      <QueryState query={query} empty={<p>{t('inbox.empty')}</p>}>
        {(data) => <NotificationTable items={allItems(data)} caption={t('inbox.caption')} showUser={false} />}
      </QueryState>
      <LoadMore query={query} />
    </Section>
  );
}
