import { useCallback, useState } from 'react';
import { Route, Switch, useLocation } from 'wouter';
import { useStrings } from '../../i18n/index.tsx';
import { NotificationDetail } from './NotificationDetail.tsx';
import { NotificationList } from './NotificationList.tsx';
import { strings } from './strings.ts';

export const page = { path: '/notifications', order: 40, nav: { en: 'Notifications', el: 'Ειδοποιήσεις' } };

/** `/notifications` (the filtered list) and `/notifications/:id` (one notification). */
export default function NotificationsPage() {
  const t = useStrings(strings);
  const [, navigate] = useLocation();
  const [flash, setFlash] = useState<string | null>(null);
  const clearFlash = useCallback(() => setFlash(null), []);
  // The list's URL query, so "All notifications" goes back to the same filters.
  const [listSearch, setListSearch] = useState('');
  const listHref = listSearch === '' ? '/' : `/?${listSearch}`;
  return (
    <Switch>
      <Route path="/:id">
        {(params) => (
          <NotificationDetail
            id={params.id}
            backHref={listHref}
            onDeleted={() => {
              setFlash(t('deleted'));
              navigate(listHref);
            }}
          />
        )}
      </Route>
      <Route>
        <NotificationList flash={flash} onSearch={setListSearch} onLeave={clearFlash} />
      </Route>
    </Switch>
  );
}
