import type { Service } from './children.ts';
import { sleep } from './setup.ts';
import { readStats, type GatewayStats, type RunningSystem } from './systems.ts';

/** Two forced full GCs a second apart, then a settle pause, so that what is read next is live memory. */
export async function collectGarbage(services: Service[], settleMs: number): Promise<void> {
  for (const service of services) service.gc();
  await sleep(1_000);
  for (const service of services) service.gc();
  await sleep(settleMs);
}

/** /stats of every gateway after two forced full GCs and a settle pause. */
export async function settledStats(running: RunningSystem, settleMs: number): Promise<GatewayStats[]> {
  await collectGarbage(
    running.gateways.map((g) => g.service),
    settleMs,
  );
  return Promise.all(running.gateways.map(readStats));
}

export interface MemoryPoint {
  /** Connections over both gateways. */
  connections: number;
  rssBytes: number;
  heapBytes: number;
  /** (rss now − rss with no connection) / connections, summed over the gateways. */
  rssPerConnection: number;
  heapPerConnection: number;
  perGateway: { name: string; connections: number; rssBytes: number; heapBytes: number; rssPerConnection: number; heapPerConnection: number }[];
}

export function memoryPoint(running: RunningSystem, idle: GatewayStats[], now: GatewayStats[]): MemoryPoint {
  const perGateway = now.map((stats, i) => ({
    name: running.gateways[i]!.name,
    connections: stats.connections,
    rssBytes: stats.rss_bytes,
    heapBytes: stats.heap_used_bytes,
    rssPerConnection: (stats.rss_bytes - idle[i]!.rss_bytes) / Math.max(1, stats.connections),
    heapPerConnection: (stats.heap_used_bytes - idle[i]!.heap_used_bytes) / Math.max(1, stats.connections),
  }));
  const connections = now.reduce((sum, s) => sum + s.connections, 0);
  const rssDelta = now.reduce((sum, s, i) => sum + s.rss_bytes - idle[i]!.rss_bytes, 0);
  const heapDelta = now.reduce((sum, s, i) => sum + s.heap_used_bytes - idle[i]!.heap_used_bytes, 0);
  return {
    connections,
    rssBytes: now.reduce((sum, s) => sum + s.rss_bytes, 0),
    heapBytes: now.reduce((sum, s) => sum + s.heap_used_bytes, 0),
    rssPerConnection: rssDelta / Math.max(1, connections),
    heapPerConnection: heapDelta / Math.max(1, connections),
    perGateway,
  };
}

/** The cost of the second N connections alone: (value at 2N − value at N) / N, free of fixed start-up costs. */
export function marginal(first: MemoryPoint, second: MemoryPoint): { rssPerConnection: number; heapPerConnection: number } {
  const added = Math.max(1, second.connections - first.connections);
  return {
    rssPerConnection: (second.rssBytes - first.rssBytes) / added,
    heapPerConnection: (second.heapBytes - first.heapBytes) / added,
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function describeMemory(label: string, idle: GatewayStats[], point: MemoryPoint): string {
  const lines = [
    `  ${label}: ${point.connections} connections; RSS/conn ${kb(point.rssPerConnection)}, heap/conn ${kb(point.heapPerConnection)}` +
      ` (total RSS ${mb(point.rssBytes)}, idle ${mb(idle.reduce((s, x) => s + x.rss_bytes, 0))}; heap ${mb(point.heapBytes)}, idle ${mb(idle.reduce((s, x) => s + x.heap_used_bytes, 0))})`,
  ];
  for (const g of point.perGateway) {
    lines.push(
      `    ${g.name}: ${g.connections} conns, RSS ${mb(g.rssBytes)} (${kb(g.rssPerConnection)}/conn), heap ${mb(g.heapBytes)} (${kb(g.heapPerConnection)}/conn)`,
    );
  }
  return lines.join('\n');
}
