import { useStrings } from '../../i18n/index.tsx';
import { ScrollTable, Time } from '../../ui/index.ts';
import type { Connection } from './model.ts';
import { strings } from './strings.ts';

/** Open connections as a table: the connection, the gateway that holds it, since when. */
export function ConnectionTable({ connections }: { connections: Connection[] }) {
  const t = useStrings(strings);
  return (
    <ScrollTable
      caption={t('connections.caption')}
      head={
        <>
          <th scope="col">{t('connections.id')}</th>
          <th scope="col">{t('connections.gateway')}</th>
          <th scope="col">{t('connections.since')}</th>
        </>
      }
    >
      {connections.map((c) => (
        <tr key={c.connection_id}>
          <td className="mono">{c.connection_id}</td>
          <td className="mono">{c.gateway_id}</td>
          <td>
            <Time iso={c.connected_at} />
          </td>
        </tr>
      ))}
    </ScrollTable>
  );
}
