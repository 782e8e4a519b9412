import { useEffect, useRef } from 'react';
import type { Broadcast } from '../../api/types.ts';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { AppLink, StatusBadge, Time } from '../../ui/index.ts';
import { broadcastStrings } from './strings.ts';

function useTargetText(target: Record<string, unknown>): string {
  const t = useStrings(broadcastStrings);
  if (target.all === true) return t('target.all');
  if (Array.isArray(target.roles)) return t('target.roles', { roles: target.roles.join(', ') });
  if (Array.isArray(target.user_ids)) return t('target.users', { count: target.user_ids.length });
  return '';
}

interface BroadcastRowProps {
  broadcast: Broadcast;
  highlighted: boolean;
  onCancel: (broadcast: Broadcast) => void;
}

export function BroadcastRow({ broadcast, highlighted, onCancel }: BroadcastRowProps) {
  const t = useStrings(broadcastStrings);
  const format = useFormat();
  const targetText = useTargetText(broadcast.target);
  const rowRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (highlighted) rowRef.current?.scrollIntoView({ block: 'center' });
  }, [highlighted]);
  return (
    <tr ref={rowRef} className={highlighted ? 'highlight' : undefined} aria-current={highlighted ? 'true' : undefined}>
      <td>
        <div className="stack-tight cell-title">
          <AppLink to={`/notifications?broadcast_id=${encodeURIComponent(broadcast.id)}`}>{broadcast.title}</AppLink>
          <span className="mono muted">{broadcast.type}</span>
          {highlighted ? <span className="badge badge-info">{t('justSent')}</span> : null}
        </div>
      </td>
      <td>
        <StatusBadge status={broadcast.status} />
      </td>
      <td className="num">
        <div>{format.number(broadcast.recipient_count)}</div>
        <div className="muted small">{targetText}</div>
      </td>
      <td className="mono">{broadcast.created_by}</td>
      <td>
        <Time iso={broadcast.send_at} />
      </td>
      <td>
        <Time iso={broadcast.created_at} />
      </td>
      <td className="actions">
        {broadcast.status === 'scheduled' ? (
          <button type="button" className="btn btn-small" aria-label={t('cancelNamed', { title: broadcast.title })} onClick={() => onCancel(broadcast)}>
            {t('cancel')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
