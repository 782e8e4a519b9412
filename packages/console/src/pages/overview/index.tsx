import { useStrings } from '../../i18n/index.tsx';
import { Page } from '../../ui/index.ts';
import { Activity } from './Activity.tsx';
import { LiveFigures } from './LiveFigures.tsx';
import { overviewStrings } from './strings.ts';

export const page = { path: '/', order: 10, nav: { en: 'Overview', el: 'Επισκόπηση' } };

export default function OverviewPage() {
  const t = useStrings(overviewStrings);
  return (
    <Page title={t('title')}>
      <LiveFigures />
      <Activity />
    </Page>
  );
}
