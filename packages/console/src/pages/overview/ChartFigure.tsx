import { useId } from 'react';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { Section, TableWrap } from '../../ui/index.ts';
import { Chart, type ChartSeries } from './Chart.tsx';
import { overviewStrings } from './strings.ts';

interface ChartFigureProps {
  title: string;
  /** "Notifications created in the last hour: 12" — the per-series totals are added to it. */
  summary: string;
  times: number[];
  series: (ChartSeries & { total: number })[];
  total: number;
  bucketSeconds: number;
}

/** A chart named by its totals, and the same figures as a table behind "Show as table". */
export function ChartFigure({ title, summary, times, series, total, bucketSeconds }: ChartFigureProps) {
  const t = useStrings(overviewStrings);
  const format = useFormat();
  const captionId = useId();
  const parts = series.map((entry) => `${entry.label} ${format.number(entry.total)}`).join(', ');
  const label = parts === '' ? summary : `${summary} (${parts})`;
  const timeFormat = new Intl.DateTimeFormat(format.locale, bucketSeconds >= 3600 ? { dateStyle: 'short', timeStyle: 'short' } : { timeStyle: 'short' });
  return (
    <Section title={title} className="card chart-card">
      <Chart label={label} times={times} series={series} bucketSeconds={bucketSeconds} timeLabel={t('time')} />
      {total === 0 ? <p className="muted">{t('noData')}</p> : null}
      <details>
        <summary>{t('showTable')}</summary>
        <TableWrap label={title}>
          <table className="table" aria-describedby={captionId}>
            <caption id={captionId}>{label}</caption>
            <thead>
              <tr>
                <th scope="col">{t('time')}</th>
                {series.map((entry) => (
                  <th key={entry.key} scope="col" className="num">
                    {entry.label}
                  </th>
                ))}
                <th scope="col" className="num">
                  {t('total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {times.map((time, position) => (
                <tr key={time}>
                  <th scope="row">
                    <time dateTime={new Date(time * 1000).toISOString()}>{timeFormat.format(new Date(time * 1000))}</time>
                  </th>
                  {series.map((entry) => (
                    <td key={entry.key} className="num">
                      {format.number(entry.counts[position] ?? 0)}
                    </td>
                  ))}
                  <td className="num">{format.number(series.reduce((sum, entry) => sum + (entry.counts[position] ?? 0), 0))}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('total')}</th>
                {series.map((entry) => (
                  <td key={entry.key} className="num">
                    {format.number(entry.total)}
                  </td>
                ))}
                <td className="num">{format.number(total)}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      </details>
    </Section>
  );
}
