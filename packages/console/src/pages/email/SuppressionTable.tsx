import { useStrings } from '../../i18n/index.tsx';
import { ScrollTable, StatusBadge, Time } from '../../ui/index.ts';
import type { Suppression } from './model.ts';
import { strings } from './strings.ts';

/** Suppressed addresses as a table, each with its "Lift" button. */
export function SuppressionTable({ suppressions, onLift }: { suppressions: Suppression[]; onLift: (address: string) => void }) {
  const t = useStrings(strings);
  return (
    <ScrollTable
      caption={t('supp.caption')}
      head={
        <>
          <th scope="col">{t('supp.address')}</th>
          <th scope="col">{t('supp.reason')}</th>
          <th scope="col">{t('supp.detail')}</th>
          <th scope="col">{t('supp.created')}</th>
          <th scope="col">{t('supp.actions')}</th>
        </>
      }
    >
      {suppressions.map((s) => (
        <tr key={s.address}>
          <td className="nowrap">{s.address}</td>
          <td>
            <StatusBadge status={s.reason} />
          </td>
          <td>{s.detail ?? t('none')}</td>
          <td>
            <Time iso={s.created_at} />
          </td>
          <td className="actions">
            <button type="button" className="btn btn-small" aria-label={t('lift.named', { address: s.address })} onClick={() => onLift(s.address)}>
              {t('lift')}
            </button>
          </td>
        </tr>
      ))}
    </ScrollTable>
  );
}
