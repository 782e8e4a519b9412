import { Link } from 'wouter';
import { appHref, ScrollTable, Time } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import type { AdminNotification } from './model.ts';
import { strings } from './strings.ts';

/** Read or unread, in words (and a mark for the eye). */
export function ReadState({ isRead }: { isRead: boolean }) {
  const t = useStrings(strings);
  return <span className={isRead ? 'read-state read-state-read' : 'read-state read-state-unread'}>{isRead ? t('state.read') : t('state.unread')}</span>;
}

/**
 * Notifications as a table; each title opens the notification's page. `showUser` adds the user
 * column (a link to the recipient).
 */
export function NotificationTable({ items, caption, showUser = true }: { items: AdminNotification[]; caption: string; showUser?: boolean }) {
  const t = useStrings(strings);
  return (
    <ScrollTable
      caption={caption}
      head={
        <>
          {showUser ? <th scope="col">{t('table.user')}</th> : null}
          <th scope="col">{t('table.type')}</th>
          <th scope="col">{t('table.title')}</th>
          <th scope="col">{t('table.read')}</th>
          <th scope="col">{t('table.created')}</th>
        </>
      }
    >
      {items.map((item) => (
        <tr key={item.id}>
          {showUser ? (
            <td>
              <Link href={appHref(`/recipients/${encodeURIComponent(item.user_id)}`)} className="mono">
                {item.user_id}
              </Link>
            </td>
          ) : null}
          <td className="mono">{item.type}</td>
          <td>
            <Link href={appHref(`/notifications/${item.id}`)}>{item.title === '' ? t('detail.emptyText') : item.title}</Link>
          </td>
          <td>
            <ReadState isRead={item.is_read} />
          </td>
          <td>
            <Time iso={item.created_at} />
          </td>
        </tr>
      ))}
    </ScrollTable>
  );
}
