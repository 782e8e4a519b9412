import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/session.tsx';
import { FieldList, Page, QueryState, Section, Time, type FieldRow } from '../../ui/index.ts';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { LiveConnections } from './LiveConnections.tsx';
import { recipientPath, type Recipient } from './model.ts';
import { RecipientInbox } from './RecipientInbox.tsx';
import { RecipientPreferences } from './RecipientPreferences.tsx';
import { strings } from './strings.ts';

function Profile({ recipient }: { recipient: Recipient }) {
  const t = useStrings(strings);
  const format = useFormat();
  const rows: FieldRow[] = [
    [t('profile.id'), <span className="mono">{recipient.id}</span>],
    [t('profile.email'), recipient.email ?? t('none')],
    [t('profile.name'), recipient.name ?? t('none')],
    [t('profile.roles'), recipient.roles.length === 0 ? t('none') : recipient.roles.join(', ')],
    [t('profile.locale'), recipient.locale ?? t('none')],
    [t('profile.lastSeq'), format.number(recipient.last_seq)],
    [
      t('profile.unsubscribed'),
      recipient.email_unsubscribed_at === null
        ? t('profile.subscribed')
        : t('profile.unsubscribedAt', { at: format.dateTime(recipient.email_unsubscribed_at) }),
    ],
    [t('profile.created'), <Time iso={recipient.created_at} />],
    [t('profile.updated'), <Time iso={recipient.updated_at} />],
  ];
  return (
    <Section title={t('profile')}>
      <FieldList rows={rows} />
    </Section>
  );
}

/** `/recipients/:id`: profile, preferences, inbox and live connections of one recipient. */
export function RecipientDetail({ id }: { id: string }) {
  const t = useStrings(strings);
  const api = useApi();
  const query = useQuery({ queryKey: ['recipient', id], queryFn: () => api.get<Recipient>(recipientPath(id)) });
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  return (
    <Page title={t('detail.title', { id })}>
      <p>
        <Link href="/">{t('back')}</Link>
      </p>
      {notFound ? (
        <div role="alert" className="notice notice-error">
          <p>{t('notFound', { id })}</p>
        </div>
      ) : (
        <QueryState query={query}>
          {(recipient) => (
            <>
              <Profile recipient={recipient} />
              <RecipientPreferences userId={id} />
              <RecipientInbox userId={id} />
              <LiveConnections userId={id} />
            </>
          )}
        </QueryState>
      )}
    </Page>
  );
}
