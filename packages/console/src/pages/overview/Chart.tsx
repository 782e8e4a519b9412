import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { useTheme } from '../../app/theme.tsx';
import { useFormat } from '../../i18n/index.tsx';

export interface ChartSeries {
  key: string;
  label: string;
  counts: number[];
}

interface ChartProps {
  /** The chart's accessible name: what it shows, with its totals. */
  label: string;
  /** Bucket starts, seconds since the epoch. */
  times: number[];
  series: ChartSeries[];
  /** Width of a bucket in seconds (a new width redraws the chart). */
  bucketSeconds: number;
  /** The legend's name for the time axis, in the page's language. */
  timeLabel: string;
  height?: number;
}

const SERIES_COLOURS = 8;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * A uPlot line chart in the theme's colours that follows its container's width. The canvas is an
 * image to assistive technology; the caller gives its totals as the name and the figures as a table.
 */
export function Chart({ label, times, series, bucketSeconds, timeLabel, height = 240 }: ChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const { resolved } = useTheme();
  const format = useFormat();

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const axisColour = cssVar('--muted');
    const gridColour = cssVar('--border');
    const tickFormat = new Intl.DateTimeFormat(format.locale, { hour: '2-digit', minute: '2-digit' });
    const legendFormat = new Intl.DateTimeFormat(format.locale, { dateStyle: 'medium', timeStyle: 'short' });
    const axis: uPlot.Axis = {
      stroke: axisColour,
      grid: { stroke: gridColour, width: 1 },
      ticks: { stroke: gridColour, width: 1 },
    };
    const options: uPlot.Options = {
      width: Math.max(container.clientWidth, 200),
      height,
      padding: [12, 28, 0, 0],
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
      series: [
        { label: timeLabel, value: (_plot, raw) => (raw == null ? '—' : legendFormat.format(new Date(raw * 1000))) },
        ...series.map((entry, index) => ({
          label: entry.label,
          stroke: cssVar(`--series-${(index % SERIES_COLOURS) + 1}`),
          width: 2,
          points: { show: times.length <= 60 },
          value: (_plot: uPlot, raw: number | null) => (raw == null ? '—' : format.number(raw)),
        })),
      ],
      axes: [
        { ...axis, space: 72, values: (_plot, ticks) => ticks.map((tick) => tickFormat.format(new Date(tick * 1000))) },
        { ...axis, size: 48, values: (_plot, ticks) => ticks.map((tick) => (Number.isInteger(tick) ? format.number(tick) : '')) },
      ],
    };
    const data: uPlot.AlignedData = [times, ...series.map((entry) => entry.counts)];
    const plot = new uPlot(options, data, container);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(container.clientWidth, 200), height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [times, series, bucketSeconds, timeLabel, height, resolved, format]);

  return <div ref={containerRef} className="chart" role="img" aria-label={label} />;
}
