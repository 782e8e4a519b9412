import { collectGarbage, kb, mb } from './memory.ts';
import { markdownTable } from './report.ts';
import { parseGauge } from './stats.ts';
import type { Endpoint } from './systems.ts';

/** The most a process may grow from the reading after the warm-up to the last one: the soak's goal. */
export const GROWTH_GOAL = 0.05;

export interface ProcessMemory {
  name: string;
  rssBytes: number;
  heapBytes: number;
  /** Open WebSocket connections (gateways only). */
  connections?: number;
}

export interface Reading {
  label: string;
  /** Seconds since the traffic started. */
  atS: number;
  processes: ProcessMemory[];
}

/**
 * Forces GCs in every process, then reads each one's prom-client default metrics from `/metrics`,
 * so the API, the gateways and the worker are all measured the same way.
 */
export async function readMemory(endpoints: Endpoint[], settleMs: number): Promise<ProcessMemory[]> {
  for (const endpoint of endpoints) if (!endpoint.service.alive()) throw new Error(`${endpoint.name} exited during the soak`);
  await collectGarbage(
    endpoints.map((e) => e.service),
    settleMs,
  );
  return Promise.all(
    endpoints.map(async (endpoint) => {
      const res = await fetch(`${endpoint.url}/metrics`);
      if (res.status !== 200) throw new Error(`${endpoint.name} /metrics answered ${res.status}`);
      const text = await res.text();
      const value = (name: string) => {
        const found = parseGauge(text, name);
        if (found === undefined) throw new Error(`${endpoint.name} /metrics has no ${name}`);
        return found;
      };
      const connections = parseGauge(text, 'tidings_ws_connections');
      return {
        name: endpoint.name,
        rssBytes: value('process_resident_memory_bytes'),
        heapBytes: value('nodejs_heap_size_used_bytes'),
        ...(connections === undefined ? {} : { connections }),
      };
    }),
  );
}

export function describeReading(reading: Reading): string {
  const width = Math.max(...reading.processes.map((p) => p.name.length));
  return [
    `  ${reading.label} (${Math.round(reading.atS)} s into the traffic):`,
    ...reading.processes.map(
      (p) =>
        `    ${p.name.padEnd(width)}  RSS ${mb(p.rssBytes).padStart(9)}  heap ${mb(p.heapBytes).padStart(9)}` +
        `${p.connections === undefined ? '' : `  (${p.connections} connections)`}`,
    ),
  ].join('\n');
}

export interface Growth {
  name: string;
  rssStart: number;
  rssEnd: number;
  /** (end − start) / start. */
  rssGrowth: number;
  heapStart: number;
  heapEnd: number;
  heapGrowth: number;
  /** Least-squares slope of heap used over every reading, bytes per minute: a steady climb shows here before it passes the goal. */
  heapSlopePerMinute: number;
  withinGoal: boolean;
}

function slopePerMinute(points: [atS: number, value: number][]): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((s, [x]) => s + x, 0) / points.length;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}

/** Per process: the first reading (after the warm-up) against the last. */
export function growth(readings: Reading[]): Growth[] {
  const first = readings[0]!;
  const last = readings.at(-1)!;
  return first.processes.map((start, i) => {
    const end = last.processes[i]!;
    const rssGrowth = (end.rssBytes - start.rssBytes) / start.rssBytes;
    const heapGrowth = (end.heapBytes - start.heapBytes) / start.heapBytes;
    return {
      name: start.name,
      rssStart: start.rssBytes,
      rssEnd: end.rssBytes,
      rssGrowth,
      heapStart: start.heapBytes,
      heapEnd: end.heapBytes,
      heapGrowth,
      heapSlopePerMinute: slopePerMinute(readings.map((r) => [r.atS, r.processes[i]!.heapBytes])),
      withinGoal: rssGrowth < GROWTH_GOAL && heapGrowth < GROWTH_GOAL,
    };
  });
}

const sign = (value: number) => (value >= 0 ? '+' : '-');
const percent = (ratio: number) => `${sign(ratio)}${Math.abs(ratio * 100).toFixed(1)} %`;
const perMinute = (bytes: number) => `${sign(bytes)}${Math.abs(bytes) >= 1024 * 1024 ? mb(Math.abs(bytes)) : kb(Math.abs(bytes))}/min`;
const mark = (ratio: number) => `${percent(ratio)} ${ratio < GROWTH_GOAL ? '✔' : '✘'}`;

export function growthTable(rows: Growth[]): string {
  const goal = `< ${GROWTH_GOAL * 100} %`;
  return markdownTable(
    ['process', 'RSS after warm-up', 'RSS at end', `RSS growth (${goal})`, 'heap after warm-up', 'heap at end', `heap growth (${goal})`, 'heap trend'],
    rows.map((r) => [
      r.name,
      mb(r.rssStart),
      mb(r.rssEnd),
      mark(r.rssGrowth),
      mb(r.heapStart),
      mb(r.heapEnd),
      mark(r.heapGrowth),
      perMinute(r.heapSlopePerMinute),
    ]),
  );
}
