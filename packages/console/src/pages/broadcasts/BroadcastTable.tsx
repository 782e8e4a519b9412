import type { Broadcast } from '../../api/types.ts';
import { useStrings } from '../../i18n/index.tsx';
import { TableWrap } from '../../ui/index.ts';
import { BroadcastRow } from './BroadcastRow.tsx';
import { broadcastStrings } from './strings.ts';

interface BroadcastTableProps {
  broadcasts: Broadcast[];
  /** The broadcast the page was opened for (just sent from Compose). */
  highlight: string | null;
  onCancel: (broadcast: Broadcast) => void;
}

/** The broadcasts as a table, one row each with its "Cancel" while it is scheduled. */
export function BroadcastTable({ broadcasts, highlight, onCancel }: BroadcastTableProps) {
  const t = useStrings(broadcastStrings);
  return (
    <TableWrap label={t('tableLabel')}>
      <table className="table">
        <caption className="sr-only">{t('tableLabel')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('colTitle')}</th>
            <th scope="col">{t('colStatus')}</th>
            <th scope="col" className="num">
              {t('colRecipients')}
            </th>
            <th scope="col">{t('colCreatedBy')}</th>
            <th scope="col">{t('colSendAt')}</th>
            <th scope="col">{t('colCreated')}</th>
            <th scope="col">
              <span className="sr-only">{t('colActions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {broadcasts.map((broadcast) => (
            <BroadcastRow key={broadcast.id} broadcast={broadcast} highlighted={broadcast.id === highlight} onCancel={onCancel} />
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
