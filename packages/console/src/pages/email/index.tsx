import { Route, Switch } from 'wouter';
import { decodeSegment } from '../notifications/model.ts';
import { EmailHome } from './EmailHome.tsx';
import { LogDetail } from './LogDetail.tsx';

export const page = { path: '/email', order: 60, nav: { en: 'Email', el: 'Email' } };

/** `/email` (delivery logs and suppressions) and `/email/logs/:id` (one email). */
export default function EmailPage() {
  return (
    <Switch>
      <Route path="/logs/:id">{(params) => <LogDetail id={decodeSegment(params.id)} />}</Route>
      <Route>
        <EmailHome />
      </Route>
    </Switch>
  );
}
