import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import { FieldList, QueryState, ScrollTable, Section } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import type { Preferences } from './model.ts';
import { strings } from './strings.ts';

/** A recipient's preferences as they set them, read-only. */
export function RecipientPreferences({ userId }: { userId: string }) {
  const t = useStrings(strings);
  const api = useApi();
  const query = useQuery({
    queryKey: ['admin-preferences', userId],
    queryFn: () => api.get<Preferences>(`/v1/admin/users/${encodeURIComponent(userId)}/preferences`),
  });
  const onOff = (value: boolean | undefined) => (value === undefined ? t('prefs.default') : value ? t('prefs.on') : t('prefs.off'));
  return (
    <Section title={t('preferences')}>
      <p className="muted">{t('prefs.readOnly')}</p>
      <QueryState query={query}>
        {(prefs) => {
          const types = Object.entries(prefs.types).sort(([a], [b]) => a.localeCompare(b));
          return (
            <div className="stack">
              <h3>{t('prefs.channels')}</h3>
              <FieldList
                rows={[
                  [t('prefs.inApp'), onOff(prefs.in_app_enabled)],
                  [t('prefs.email'), onOff(prefs.email_enabled)],
                  [t('prefs.digest'), t(`digest.${prefs.digest}`)],
                ]}
              />
              <h3>{t('prefs.types')}</h3>
              {types.length === 0 ? (
                <p className="muted">{t('prefs.noTypes')}</p>
              ) : (
                <ScrollTable
                  caption={t('prefs.typesCaption')}
                  head={
                    <>
                      <th scope="col">{t('prefs.type')}</th>
                      <th scope="col">{t('prefs.inApp')}</th>
                      <th scope="col">{t('prefs.email')}</th>
                    </>
                  }
                >
                  {types.map(([key, value]) => (
                    <tr key={key}>
                      <td className="mono">{key}</td>
                      <td>{onOff(value.in_app)}</td>
                      <td>{onOff(value.email)}</td>
                    </tr>
                  ))}
                </ScrollTable>
              )}
            </div>
          );
        }}
      </QueryState>
    </Section>
  );
}
