import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import type { Stats } from '../../api/types.ts';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { QueryState, Section, TableWrap } from '../../ui/index.ts';
import { overviewStrings } from './strings.ts';

const TODAY_EMAIL_STATUSES = ['sent', 'failed', 'bounced'] as const;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Figures of right now, read every 5 seconds. */
export function LiveFigures() {
  const t = useStrings(overviewStrings);
  const api = useApi();
  const stats = useQuery({
    queryKey: ['admin', 'stats'],
    queryFn: () => api.get<Stats>('/v1/admin/stats'),
    refetchInterval: 5_000,
    staleTime: 0,
  });
  return (
    <Section title={t('liveTitle')} actions={<p className="muted">{t('liveNote')}</p>}>
      <QueryState query={stats}>{(data) => <Figures stats={data} />}</QueryState>
    </Section>
  );
}

function Figures({ stats }: { stats: Stats }) {
  const t = useStrings(overviewStrings);
  const format = useFormat();
  const share = stats.notifications === 0 ? 0 : stats.unread / stats.notifications;
  const percent = new Intl.NumberFormat(format.locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
  return (
    <div className="stack">
      <div className="grid">
        <Figure label={t('connections')} value={format.number(stats.connections)}>
          {t('onlineUsers', { count: stats.online_users })} {t('gatewayCount', { count: stats.gateways })}
        </Figure>
        <Figure label={t('notificationsToday')} value={format.number(stats.today.notifications)}>
          {t('sinceMidnight', { time: format.dateTime(stats.today.since) })}
        </Figure>
        <Figure label={t('unreadShare')} value={percent}>
          {t('unreadOf', { unread: format.number(stats.unread), notifications: format.number(stats.notifications) })}
        </Figure>
        <div className="card stack-tight">
          <h3 className="figure-label">{t('emailsToday')}</h3>
          <dl className="figure-list">
            {TODAY_EMAIL_STATUSES.map((status) => (
              <div key={status}>
                <dt>{t(`email.${status}`)}</dt>
                <dd>{format.number(stats.today.emails[status] ?? 0)}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div className="card stack-tight">
          <h3 className="figure-label">{t('emailQueue')}</h3>
          <dl className="figure-list">
            {QUEUE_STATES.map((state) => (
              <div key={state}>
                <dt>{t(`queue.${state}`)}</dt>
                <dd>{format.number(stats.queues.email[state])}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
      <Gateways stats={stats} />
    </div>
  );
}

function Figure({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  return (
    <div className="card stack-tight">
      <h3 className="figure-label">{label}</h3>
      <p className="figure">{value}</p>
      {children ? <p className="muted">{children}</p> : null}
    </div>
  );
}

function Gateways({ stats }: { stats: Stats }) {
  const t = useStrings(overviewStrings);
  const format = useFormat();
  if (stats.per_gateway.length === 0) return <p className="muted">{t('noGateways')}</p>;
  const gateways = [...stats.per_gateway].sort((a, b) => a.gateway_id.localeCompare(b.gateway_id));
  return (
    <TableWrap label={t('gatewaysCaption')}>
      <table className="table">
        <caption>{t('gatewaysCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('gateway')}</th>
            <th scope="col" className="num">
              {t('connections')}
            </th>
            <th scope="col" className="num">
              {t('users')}
            </th>
          </tr>
        </thead>
        <tbody>
          {gateways.map((gateway) => (
            <tr key={gateway.gateway_id}>
              <th scope="row" className="mono">
                {gateway.gateway_id}
              </th>
              <td className="num">{format.number(gateway.connections)}</td>
              <td className="num">{format.number(gateway.users)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
