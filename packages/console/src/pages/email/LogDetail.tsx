import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/session.tsx';
import { appHref, FieldList, Page, QueryState, Section, StatusBadge, Time, type FieldRow } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { EmailView } from './EmailView.tsx';
import type { EmailLog, RenderedEmail } from './model.ts';
import { strings } from './strings.ts';

function Fields({ log }: { log: EmailLog }) {
  const t = useStrings(strings);
  const none = <span className="muted">{t('none')}</span>;
  const rows: FieldRow[] = [
    [t('log.id'), <span className="mono">{log.id}</span>],
    [t('logs.to'), log.to],
    [t('logs.subject'), log.subject],
    [t('logs.statusCol'), <StatusBadge status={log.status} />],
    [
      t('log.user'),
      <Link href={appHref(`/recipients/${encodeURIComponent(log.user_id)}`)} className="mono">
        {log.user_id}
      </Link>,
    ],
    [t('log.kind'), t(`kind.${log.kind}`)],
    [t('log.template'), <span className="mono">{log.template}</span>],
    [
      t('log.notification'),
      log.notification_id === null ? (
        none
      ) : (
        <Link href={appHref(`/notifications/${log.notification_id}`)} className="mono">
          {log.notification_id}
        </Link>
      ),
    ],
    [t('log.broadcast'), log.broadcast_id === null ? none : <span className="mono">{log.broadcast_id}</span>],
    [t('logs.attempts'), log.attempts],
    [t('log.providerId'), log.provider_message_id === null ? none : <span className="mono break">{log.provider_message_id}</span>],
    [t('logs.queued'), <Time iso={log.queued_at} />],
    [t('logs.sent'), <Time iso={log.sent_at} />],
  ];
  return <FieldList rows={rows} />;
}

function Rendered({ id }: { id: string }) {
  const t = useStrings(strings);
  const api = useApi();
  const query = useQuery({
    queryKey: ['admin-email-rendered', id],
    queryFn: () => api.get<RenderedEmail>(`/v1/admin/email-logs/${encodeURIComponent(id)}/rendered`),
  });
  const noContent = query.error instanceof ApiError && query.error.code === 'no_content' ? query.error : null;
  return (
    <Section title={t('rendered')}>
      {noContent ? (
        <div role="status" className="notice notice-info">
          <p>{noContent.message}</p>
        </div>
      ) : (
        <QueryState query={query}>{(email) => <EmailView email={email} />}</QueryState>
      )}
    </Section>
  );
}

/** `/email/logs/:id`: the log's fields, its error in full and the email as it was rendered. */
export function LogDetail({ id }: { id: string }) {
  const t = useStrings(strings);
  const api = useApi();
  const query = useQuery({
    queryKey: ['admin-email-log', id],
    queryFn: () => api.get<EmailLog>(`/v1/admin/email-logs/${encodeURIComponent(id)}`),
  });
  return (
    <Page title={query.data ? t('log.title', { to: query.data.to }) : t('log.fields')}>
      <p>
        <Link href="/">{t('log.back')}</Link>
      </p>
      <QueryState query={query}>
        {(log) => (
          <>
            <Section title={t('log.fields')}>
              <Fields log={log} />
            </Section>
            <Section title={t('log.errorFull')}>
              {log.error === null ? <p className="muted">{t('log.noError')}</p> : <pre className="full-text">{log.error}</pre>}
            </Section>
            <Rendered id={id} />
          </>
        )}
      </QueryState>
    </Page>
  );
}
