import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { checkQuiet, formatCpu, startCpuSample, type CpuGroups } from './cpu.ts';

/** What one request of a run looks like; called once per request, so every request can differ. */
export interface RequestShape {
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  label: string;
  /** One per API process; connections are spread over them. */
  baseUrls: string[];
  method: 'GET' | 'POST';
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** The API children, to report where CPU time went during the measured run. */
  apiPids: number[];
  next: () => RequestShape;
}

export interface LoadResult {
  label: string;
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx answers per second over the measured run. */
  perSecond: number;
  /** Latencies of 2xx answers, in milliseconds (sub-millisecond resolution). */
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
  cpu: CpuGroups | undefined;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * One autocannon run. Latencies are collected from the per-response event (float milliseconds)
 * because autocannon's own histogram rounds to whole milliseconds, too coarse for a 5 ms p99.
 */
function runOnce(options: LoadOptions, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        // autocannon spreads connections over several URLs; @types/autocannon only knows one.
        url: (options.baseUrls.length === 1 ? options.baseUrls[0]! : options.baseUrls) as string,
        method: options.method,
        connections: options.connections,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => {
              const shape = options.next();
              return {
                ...request,
                method: options.method,
                path: shape.path,
                headers: { ...request.headers, ...shape.headers },
                ...(shape.body === undefined ? {} : { body: shape.body }),
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const sorted = Float64Array.from(latencies).sort();
        const ok = latencies.length;
        resolve({
          label: options.label,
          seconds: result.duration,
          ok,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          perSecond: ok / result.duration,
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
          statusCodes,
          cpu: undefined,
        });
      },
    );
    // The instance emits (client, statusCode, bytes, responseTime); @types/autocannon omits `client`.
    (instance as NodeJS.EventEmitter).on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/** Warm-up (discarded), then the measured run. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) {
    const warm = await runOnce(options, options.warmupSeconds);
    console.log(`  warm-up ${warm.seconds.toFixed(1)} s: ${fmtInt(warm.perSecond)} req/s, non-2xx ${warm.non2xx}, errors ${warm.errors}`);
  }
  const stopCpu = startCpuSample(options.apiPids);
  const result = await runOnce(options, options.seconds);
  result.cpu = stopCpu();
  console.log(
    `  ${options.label}: ${fmtInt(result.perSecond)} req/s over ${result.seconds.toFixed(1)} s (${fmtInt(result.ok)} ok), ` +
      `p50 ${fmtMs(result.p50)}, p90 ${fmtMs(result.p90)}, p99 ${fmtMs(result.p99)}, max ${fmtMs(result.max)}, ` +
      `non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}, status ${JSON.stringify(result.statusCodes)}`,
  );
  console.log(`  ${formatCpu(result.cpu)}`);
  checkQuiet(options.label, result.cpu);
  return result;
}

/**
 * Open loop: requests leave at a fixed rate (evenly spaced, in 10 ms ticks) whether or not earlier
 * ones have answered, over at most `connections` keep-alive sockets; latency counts from the
 * scheduled send, so time queued behind a slow server is included. Unlike a closed loop (autocannon:
 * each connection waits for its answer), this shows latency below saturation.
 */
export async function runRate(options: LoadOptions & { rate: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const bases = options.baseUrls.map((url) => new URL(url));
  let turn = 0;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let inFlight = 0;
  const send = (record: boolean) => {
    const shape = options.next();
    const base = bases[turn++ % bases.length]!;
    const started = performance.now();
    inFlight += 1;
    const req = request({ host: base.hostname, port: base.port, path: shape.path, method: options.method, headers: shape.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        inFlight -= 1;
        if (!record) return;
        const status = res.statusCode ?? 0;
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
        if (status >= 200 && status < 300) latencies.push(performance.now() - started);
      });
    });
    req.on('error', () => {
      inFlight -= 1;
      if (record) errors += 1;
    });
    req.end(shape.body);
  };
  const phase = (seconds: number, record: boolean) =>
    new Promise<void>((resolve) => {
      const begun = performance.now();
      let sent = 0;
      const timer = setInterval(() => {
        const elapsed = (performance.now() - begun) / 1000;
        const due = Math.min(seconds, elapsed) * options.rate;
        while (sent < due) {
          sent += 1;
          send(record);
        }
        if (elapsed >= seconds) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
  await phase(options.warmupSeconds, false);
  const stopCpu = startCpuSample(options.apiPids);
  await phase(options.seconds, true);
  const cpu = stopCpu();
  const deadline = Date.now() + 30_000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  const non2xx = Object.entries(statusCodes).reduce((sum, [code, count]) => (Number(code) >= 200 && Number(code) < 300 ? sum : sum + count), 0);
  const result: LoadResult = {
    label: options.label,
    seconds: options.seconds,
    ok: latencies.length,
    non2xx,
    errors,
    timeouts: inFlight,
    perSecond: latencies.length / options.seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    statusCodes,
    cpu,
  };
  console.log(
    `  ${options.label}: ${fmtInt(result.perSecond)} req/s offered ${options.rate}/s over ${options.seconds} s, ` +
      `p50 ${fmtMs(result.p50)}, p90 ${fmtMs(result.p90)}, p95 ${fmtMs(result.p95)}, p99 ${fmtMs(result.p99)}, max ${fmtMs(result.max)}, non-2xx ${result.non2xx}, errors ${errors}`,
  );
  console.log(`  ${formatCpu(result.cpu)}`);
  checkQuiet(options.label, result.cpu);
  return result;
}

export const fmtInt = (value: number) => Math.round(value).toLocaleString('en-US');
export const fmtMs = (value: number) => (Number.isNaN(value) ? 'n/a' : value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`);
