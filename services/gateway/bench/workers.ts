import type { ChildProcess } from 'node:child_process';
import { forkWorker, type Service } from './children.ts';
import type { System } from './options.ts';
import { benchDir, wallNow } from './setup.ts';
import type {
  BroadcastDone,
  BroadcastState,
  ChurnResult,
  ConnectResult,
  DeliveryStats,
  LatencyRecords,
  Target,
  WorkerReply,
  WorkerRequest,
  WorkerStats,
} from './worker-protocol.ts';

const RPC_TIMEOUT_MS = 180_000;

/** The bench's side of one load-client process: request/answer over the IPC channel. */
export class LoadWorker {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly broadcastListeners = new Set<(state: BroadcastState) => void>();
  /** Offset to add to this worker's clock to get the bench's (measured, usually well under 1 ms). */
  clockOffset = 0;

  private constructor(
    readonly index: number,
    private readonly child: ChildProcess,
    readonly service: Service,
  ) {
    child.on('message', (message: WorkerReply | BroadcastDone) => {
      if ('event' in message) {
        for (const listener of this.broadcastListeners) listener(message.state);
        return;
      }
      const entry = this.waiting.get(message.id);
      if (!entry) return;
      this.waiting.delete(message.id);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new Error(`worker ${index}: ${message.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const entry of this.waiting.values()) entry.reject(new Error(`worker ${index} exited (code ${code}, signal ${signal})`));
      this.waiting.clear();
    });
  }

  static async start(index: number, system: System, secret: string, concurrency: number, options: { trackSeqs?: boolean } = {}): Promise<LoadWorker> {
    const { child, service } = forkWorker(`load-${index}`, `${benchDir}load-worker.ts`);
    const worker = new LoadWorker(index, child, service);
    await worker.call({ op: 'init', system, secret, concurrency, trackSeqs: options.trackSeqs });
    await worker.syncClock();
    return worker;
  }

  call<T>(request: WorkerRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`worker ${this.index}: ${request.op} got no answer in ${RPC_TIMEOUT_MS / 1000} s`));
      }, RPC_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      // With a callback, a worker that is gone rejects this call instead of an unhandled 'error' on the child.
      this.child.send({ ...request, id }, (error) => {
        if (!error) return;
        this.waiting.get(id)?.reject(new Error(`worker ${this.index}: ${request.op} not sent: ${error.message}`));
        this.waiting.delete(id);
      });
    });
  }

  /** NTP-style: the best of a few round trips gives the offset between the two wall clocks. */
  private async syncClock(): Promise<void> {
    let best = Infinity;
    for (let i = 0; i < 15; i++) {
      const sent = wallNow();
      const theirs = await this.call<number>({ op: 'clock' });
      const received = wallNow();
      if (received - sent < best) {
        best = received - sent;
        this.clockOffset = (sent + received) / 2 - theirs;
      }
    }
  }

  connect(group: number, targets: Target[]): Promise<ConnectResult> {
    return this.call({ op: 'connect', group, targets });
  }

  close(group: number): Promise<number> {
    return this.call({ op: 'close', group });
  }

  onBroadcastDone(listener: (state: BroadcastState) => void): () => void {
    this.broadcastListeners.add(listener);
    return () => this.broadcastListeners.delete(listener);
  }

  async latency(): Promise<LatencyRecords> {
    const records = await this.call<LatencyRecords>({ op: 'latency' });
    for (let i = 0; i < records.arrivals.length; i++) records.arrivals[i]! += this.clockOffset;
    return records;
  }

  stats(): Promise<WorkerStats> {
    return this.call({ op: 'stats' });
  }

  churn(group: number, count: number): Promise<ChurnResult> {
    return this.call({ op: 'churn', group, count });
  }

  delivery(): Promise<DeliveryStats> {
    return this.call({ op: 'delivery' });
  }

  async shutdown(): Promise<void> {
    if (!this.service.alive()) return;
    await this.call({ op: 'shutdown' }).catch(() => {});
    await this.service.stop(5_000);
  }
}

/** Spreads targets over workers round-robin and connects them all in parallel. */
export async function connectAll(workers: LoadWorker[], group: number, targets: Target[]): Promise<ConnectResult> {
  const shares: Target[][] = workers.map(() => []);
  targets.forEach((target, i) => shares[i % workers.length]!.push(target));
  const started = performance.now();
  const results = await Promise.all(workers.map((worker, i) => worker.connect(group, shares[i]!)));
  return {
    connected: results.reduce((sum, r) => sum + r.connected, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    errors: results.flatMap((r) => r.errors).slice(0, 5),
    ms: Math.round(performance.now() - started),
  };
}
