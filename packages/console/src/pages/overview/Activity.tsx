import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import type { Timeseries, TimeseriesBucket } from '../../api/types.ts';
import { useStrings } from '../../i18n/index.tsx';
import { QueryState, Section } from '../../ui/index.ts';
import { fillBuckets } from './buckets.ts';
import { ChartFigure } from './ChartFigure.tsx';
import { overviewStrings } from './strings.ts';

type Range = 'hour' | 'day';

const RANGES: Record<Range, { spanMs: number; bucket: TimeseriesBucket }> = {
  hour: { spanMs: 3_600_000, bucket: 'minute' },
  day: { spanMs: 24 * 3_600_000, bucket: 'hour' },
};

/** The two charts over the last hour (by minute) or day (by hour), read every 15 seconds. */
export function Activity() {
  const t = useStrings(overviewStrings);
  const api = useApi();
  const [range, setRange] = useState<Range>('hour');
  const series = useQuery({
    queryKey: ['admin', 'timeseries', range],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - RANGES[range].spanMs);
      return api.get<Timeseries>('/v1/admin/stats/timeseries', { from: from.toISOString(), to: to.toISOString(), bucket: RANGES[range].bucket });
    },
    refetchInterval: 15_000,
    staleTime: 0,
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === range ? previous : undefined),
  });

  return (
    <Section
      title={t('activityTitle')}
      actions={
        <fieldset className="range-switch">
          <legend className="sr-only">{t('range')}</legend>
          {(['hour', 'day'] as const).map((option) => (
            <label key={option} className="choice segmented">
              <input type="radio" name="overview-range" value={option} checked={range === option} onChange={() => setRange(option)} />
              {option === 'hour' ? t('lastHour') : t('lastDay')}
            </label>
          ))}
        </fieldset>
      }
    >
      <p className="muted">{t('activityNote')}</p>
      <QueryState query={series}>{(data) => <Charts data={data} range={range} />}</QueryState>
    </Section>
  );
}

function Charts({ data, range }: { data: Timeseries; range: Range }) {
  const t = useStrings(overviewStrings);
  const created = useMemo(() => fillBuckets(Date.parse(data.from), Date.parse(data.to), data.bucket_seconds, data.notifications, (row) => row.type), [data]);
  const emails = useMemo(() => fillBuckets(Date.parse(data.from), Date.parse(data.to), data.bucket_seconds, data.emails, (row) => row.status), [data]);
  const createdSeries = useMemo(() => created.series.map((entry) => ({ ...entry, label: entry.key })), [created]);
  const emailSeries = useMemo(
    () =>
      emails.series.map((entry) => {
        const key = `email.${entry.key}`;
        return { ...entry, label: key in overviewStrings.en ? t(key as keyof typeof overviewStrings.en) : entry.key };
      }),
    [emails, t],
  );
  const hourly = data.bucket === 'hour';
  return (
    <div className="chart-grid">
      <ChartFigure
        title={hourly ? t('createdChartHourly') : t('createdChart')}
        summary={t(range === 'hour' ? 'createdLabelHour' : 'createdLabelDay', { total: created.total })}
        times={created.times}
        series={createdSeries}
        total={created.total}
        bucketSeconds={data.bucket_seconds}
      />
      <ChartFigure
        title={t('emailsChart')}
        summary={t(range === 'hour' ? 'emailsLabelHour' : 'emailsLabelDay', { total: emails.total })}
        times={emails.times}
        series={emailSeries}
        total={emails.total}
        bucketSeconds={data.bucket_seconds}
      />
    </div>
  );
}
