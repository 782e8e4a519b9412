import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Route, Switch, useLocation } from 'wouter';
import { useApi } from '../../api/session.tsx';
import { Page, QueryState } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { decodeSegment } from '../notifications/model.ts';
import { draftFrom, newTypeDraft, typePath, type NotificationType } from './model.ts';
import { TypeEditor } from './TypeEditor.tsx';
import { strings } from './strings.ts';
import { TypeList } from './TypeList.tsx';

export const page = { path: '/types', order: 70, nav: { en: 'Notification types', el: 'Τύποι ειδοποιήσεων' } };

function ExistingType({ typeKey, justSaved }: { typeKey: string; justSaved: boolean }) {
  const api = useApi();
  const query = useQuery({ queryKey: ['notification-type', typeKey], queryFn: () => api.get<NotificationType>(typePath(typeKey)) });
  const t = useStrings(strings);
  if (query.data) return <TypeEditor key={typeKey} initial={draftFrom(query.data)} isNew={false} justSaved={justSaved} onSaved={() => undefined} />;
  return (
    <Page title={t('edit.title', { key: typeKey })}>
      <QueryState query={query}>{() => null}</QueryState>
    </Page>
  );
}

/** `/types` (the list), `/types/new` (a new type) and `/types/:key` (edit one). */
export default function TypesPage() {
  const [, navigate] = useLocation();
  // The key a new type was just saved under, so its page says "Saved".
  const [created, setCreated] = useState<string | null>(null);
  return (
    <Switch>
      <Route path="/new">
        <TypeEditor
          initial={newTypeDraft}
          isNew
          onSaved={(type) => {
            setCreated(type.key);
            navigate(`/${encodeURIComponent(type.key)}`, { replace: true });
          }}
        />
      </Route>
      <Route path="/:key">{(params) => <ExistingType typeKey={decodeSegment(params.key)} justSaved={created === decodeSegment(params.key)} />}</Route>
      <Route>
        <TypeList />
      </Route>
    </Switch>
  );
}
