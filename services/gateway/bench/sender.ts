import { Pool } from 'undici';
import { sleep, userId, wallNow } from './setup.ts';

/** Keeps the request about 300 bytes of JSON, like a typical app notification. */
const BODY_TEXT = 'Your export "Quarterly report" is ready to download. It stays available for 7 days.';

export interface RateRun {
  /** Send wall time per key `k` (NaN where the request was not sent). */
  sentAt: Float64Array;
  /** 1 per key `k` whose notification the API created (201). */
  createdKeys: Uint8Array;
  sent: number;
  created: number;
  failed: number;
  statuses: Record<string, number>;
  firstErrors: string[];
  /** API answer times in ms, for the requests that got one. */
  responseMs: number[];
  elapsedS: number;
  /** Created notifications per second, from the first request to the last answer. */
  throughput: number;
  requestBytes: number;
}

/** A keep-alive HTTP client for the API (undici Pool, `connections` sockets). Loopback only. */
export class ApiClient {
  private readonly pool: Pool;

  constructor(
    readonly url: string,
    private readonly token: string,
    connections: number,
  ) {
    if (!url.startsWith('http://127.0.0.1:')) throw new Error(`the bench only talks to 127.0.0.1, not ${url}`);
    this.pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  async post(path: string, body: string): Promise<{ status: number; text: string }> {
    const res = await this.pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body,
    });
    return { status: res.statusCode, text: await res.body.text() };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A single-recipient create request of about 300 bytes; `data.t` is the send time (wall ms). */
export function notificationBody(user: number, k: number, t = wallNow()): string {
  const base = { to: { user_ids: [userId(user)] }, type: 'bench', title: 'Export ready', body: BODY_TEXT, data: { t, k, pad: '' } };
  const length = JSON.stringify(base).length;
  base.data.pad = 'x'.repeat(Math.max(0, 300 - length));
  return JSON.stringify(base);
}

/**
 * Open loop: `rate` single-recipient notifications per second for `seconds`, each to a random user
 * among `users`, whatever the API's answer times (capped at `maxInFlight` outstanding requests so a
 * stalled API cannot grow the bench without bound).
 */
export async function sendAtRate(client: ApiClient, options: { rate: number; seconds: number; users: number; maxInFlight?: number }): Promise<RateRun> {
  const total = Math.round(options.rate * options.seconds);
  const maxInFlight = options.maxInFlight ?? 2_000;
  const run: RateRun = {
    sentAt: new Float64Array(total).fill(Number.NaN),
    createdKeys: new Uint8Array(total),
    sent: 0,
    created: 0,
    failed: 0,
    statuses: {},
    firstErrors: [],
    responseMs: [],
    elapsedS: 0,
    throughput: 0,
    requestBytes: notificationBody(0, 0).length,
  };
  let inFlight = 0;
  let lastAnswer = 0;
  const pending = new Set<Promise<void>>();
  const fire = (k: number) => {
    const user = Math.floor(Math.random() * options.users);
    const t = wallNow();
    const body = notificationBody(user, k, t);
    const started = performance.now();
    run.sentAt[k] = t;
    inFlight++;
    const request = client.post('/v1/notifications', body).then(
      ({ status, text }) => {
        lastAnswer = performance.now();
        run.responseMs.push(lastAnswer - started);
        run.statuses[status] = (run.statuses[status] ?? 0) + 1;
        if (status === 201) {
          run.created++;
          run.createdKeys[k] = 1;
        } else {
          run.failed++;
          if (run.firstErrors.length < 3) run.firstErrors.push(`${status} ${text.slice(0, 200)}`);
        }
      },
      (error: unknown) => {
        run.failed++;
        if (run.firstErrors.length < 3) run.firstErrors.push((error as Error).message);
      },
    );
    const tracked = request.finally(() => {
      inFlight--;
      pending.delete(tracked);
    });
    pending.add(tracked);
  };
  const started = performance.now();
  const deadline = started + options.seconds * 1_000 + 30_000;
  while (run.sent < total && performance.now() < deadline) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1_000) * options.rate));
    while (run.sent < due && inFlight < maxInFlight) fire(run.sent++);
    await sleep(1);
  }
  run.elapsedS = (performance.now() - started) / 1_000;
  await Promise.race([Promise.all(pending), sleep(30_000)]);
  run.throughput = run.created / Math.max(0.001, (lastAnswer - started) / 1_000);
  return run;
}
