import { Link } from 'wouter';
import { appHref, CopyText, FieldList, JsonView, Page, QueryState, Section, Time } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { DeleteNotification } from './DeleteNotification.tsx';
import type { AdminNotification } from './model.ts';
import { ReadState } from './NotificationTable.tsx';
import { useNotification } from './queries.ts';
import { strings } from './strings.ts';

/** One notification: every field, its data as JSON, its action URL as text; and "Delete". */
export function NotificationDetail({ id, backHref, onDeleted }: { id: string; backHref: string; onDeleted: () => void }) {
  const t = useStrings(strings);
  const query = useNotification(id);
  const text = (value: string | null) =>
    value === null ? <span className="muted">{t('detail.none')}</span> : value === '' ? <span className="muted">{t('detail.emptyText')}</span> : value;
  return (
    <Page title={t('detail.heading')} actions={query.data ? <DeleteNotification notification={query.data} onDeleted={onDeleted} /> : undefined}>
      <p>
        <Link href={backHref}>{t('detail.back')}</Link>
      </p>
      <QueryState query={query}>
        {(n: AdminNotification) => (
          <>
            <Section title={t('detail.fields')}>
              <FieldList
                rows={[
                  [t('detail.id'), <span className="mono">{n.id}</span>],
                  [
                    t('detail.user'),
                    <Link href={appHref(`/recipients/${encodeURIComponent(n.user_id)}`)} className="mono">
                      {n.user_id}
                    </Link>,
                  ],
                  [t('detail.seq'), n.seq],
                  [t('detail.type'), <span className="mono">{n.type}</span>],
                  [t('detail.title'), text(n.title)],
                  [t('detail.body'), <span className="pre-wrap">{text(n.body)}</span>],
                  [t('detail.priority'), t(`priority.${n.priority}`)],
                  [t('detail.icon'), n.icon === null ? text(null) : <span className="mono break">{n.icon}</span>],
                  [t('detail.actionUrl'), n.action_url === null ? text(null) : <CopyText text={n.action_url} />],
                  [t('detail.readState'), <ReadState isRead={n.is_read} />],
                  [t('detail.readAt'), n.read_at === null ? text(null) : <Time iso={n.read_at} />],
                  [t('detail.createdAt'), <Time iso={n.created_at} />],
                ]}
              />
            </Section>
            <Section title={t('detail.data')}>
              <JsonView value={n.data} />
            </Section>
          </>
        )}
      </QueryState>
    </Page>
  );
}
