import { Route, Switch } from 'wouter';
import { decodeSegment } from '../notifications/model.ts';
import { RecipientDetail } from './RecipientDetail.tsx';
import { RecipientSearch } from './RecipientSearch.tsx';

export const page = { path: '/recipients', order: 50, nav: { en: 'Recipients', el: 'Παραλήπτες' } };

/** `/recipients` (search) and `/recipients/:id` (one recipient). */
export default function RecipientsPage() {
  return (
    <Switch>
      <Route path="/:id">{(params) => <RecipientDetail id={decodeSegment(params.id)} />}</Route>
      <Route>
        <RecipientSearch />
      </Route>
    </Switch>
  );
}
