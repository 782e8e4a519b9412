import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useApi } from '../../api/session.tsx';
import { Page, QueryState, ScrollTable } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import type { NotificationType } from './model.ts';
import { strings } from './strings.ts';

export const typesKey = 'admin-notification-types';

/** `/types`: every configured type with its defaults, and "New type". */
export function TypeList() {
  const t = useStrings(strings);
  const api = useApi();
  const query = useQuery({
    queryKey: [typesKey],
    queryFn: () => api.get<{ items: NotificationType[] }>('/v1/admin/notification-types'),
  });
  const yesNo = (value: boolean) => (value ? t('yes') : t('no'));
  return (
    <Page
      title={t('title')}
      actions={
        <Link href="/new" className="btn btn-primary">
          {t('newType')}
        </Link>
      }
    >
      <QueryState query={query} empty={<p>{t('empty')}</p>}>
        {(data) => (
          <ScrollTable
            caption={t('table.caption')}
            head={
              <>
                <th scope="col">{t('table.key')}</th>
                <th scope="col">{t('table.description')}</th>
                <th scope="col">{t('table.critical')}</th>
                <th scope="col">{t('table.inApp')}</th>
                <th scope="col">{t('table.email')}</th>
                <th scope="col">{t('table.template')}</th>
              </>
            }
          >
            {data.items.map((type) => (
              <tr key={type.key}>
                <td>
                  <Link href={`/${encodeURIComponent(type.key)}`} className="mono">
                    {type.key}
                  </Link>
                </td>
                <td>{type.description ?? t('none')}</td>
                <td>{yesNo(type.critical)}</td>
                <td>{yesNo(type.default_in_app)}</td>
                <td>{yesNo(type.default_email)}</td>
                <td>{yesNo(type.template !== null)}</td>
              </tr>
            ))}
          </ScrollTable>
        )}
      </QueryState>
    </Page>
  );
}
