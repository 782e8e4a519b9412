import { useSearchParams } from 'wouter';
import { Page, Tabs } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { DeliveryLogs } from './DeliveryLogs.tsx';
import { strings } from './strings.ts';
import { Suppressions } from './Suppressions.tsx';

type Tab = 'logs' | 'suppressions';

/** `/email`: tabs "Delivery logs" and "Suppressions" (the tab is kept in the URL as `?tab=`). */
export function EmailHome() {
  const t = useStrings(strings);
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: Tab = searchParams.get('tab') === 'suppressions' ? 'suppressions' : 'logs';
  return (
    <Page title={t('title')}>
      <Tabs
        label={t('tabs')}
        value={tab}
        onChange={(id) => setSearchParams(id === 'suppressions' ? { tab: 'suppressions' } : {})}
        items={[
          { id: 'logs', label: t('tab.logs'), panel: <DeliveryLogs /> },
          { id: 'suppressions', label: t('tab.suppressions'), panel: <Suppressions /> },
        ]}
      />
    </Page>
  );
}
