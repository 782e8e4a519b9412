import { expect } from 'vitest';
import { Queue } from 'bullmq';
import { bullPrefix, queueNames } from '@tidings/jobs';
import { createLogger } from '@tidings/server-kit';
import { TcpProxy, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from '../../api/tests/harness.ts';
import { startWorker, type RunningWorker } from '../src/main.ts';
import { SmtpSink } from './smtp-sink.ts';

export interface Log {
  id: string;
  status: string;
  attempts: number;
  error: string | null;
  provider_message_id: string | null;
  template: string;
  subject: string;
  kind: string;
  notification_id: string | null;
}

/**
 * The API and a worker sending through an SMTP sink behind a proxy that can be cut, on a fresh
 * database and Redis prefix. The sink refuses `@rejected.test` for good and greylists
 * `@greylist.test` (two refusals per address); `invoice` and the critical `security` email by
 * default. `recipient`, `send` and `logsOf` are bound, so a test file can take them apart.
 */
export class EmailStack {
  h!: ApiHarness;
  worker!: RunningWorker;
  sink!: SmtpSink;
  smtp!: TcpProxy;
  maintenance!: Queue;

  async start(): Promise<this> {
    const deferred = new Map<string, number>();
    this.sink = await new SmtpSink({
      reject: (address) => address.endsWith('@rejected.test'),
      // Greylisting: the first two tries of each address are deferred.
      defer: (address) => address.endsWith('@greylist.test') && (deferred.set(address, (deferred.get(address) ?? 0) + 1).get(address) ?? 0) <= 2,
    }).start();
    this.smtp = new TcpProxy('127.0.0.1', this.sink.port);
    await this.smtp.start();
    this.h = await startHarness({
      SMTP_URL: `smtp://127.0.0.1:${this.smtp.port}`,
      EMAIL_RETRY_BASE_MS: '100',
      EMAIL_MAX_ATTEMPTS: '30',
      OUTBOX_GRACE_MS: '300',
      PRODUCT_NAME: 'Acme Cloud',
      BRAND_COLOR: '#ff6600',
      FOOTER_ADDRESS: '1 Harbour Road, Dover',
    });
    const { h } = this;
    this.worker = await startWorker(h.config, createLogger('worker', process.env.TEST_LOG_LEVEL ?? 'silent'), { port: 0, staleEmailMs: 1_000 });
    this.maintenance = new Queue(queueNames.maintenance, { connection: { url: h.config.REDIS_URL }, prefix: bullPrefix(h.config.REDIS_PREFIX) });
    await h.request('PUT', '/v1/notification-types/invoice', { token: h.admin, body: { default_email: true } });
    await h.request('PUT', '/v1/notification-types/security', { token: h.admin, body: { default_email: true, critical: true } });
    return this;
  }

  /** Closes what {@link start} got as far as starting. */
  async close(): Promise<void> {
    await this.maintenance?.close();
    await this.worker?.close();
    await this.h?.close();
    await this.smtp?.cut();
    await this.sink?.close();
  }

  recipient = async (label: string, domain = 'example.com', preferences?: Record<string, unknown>): Promise<{ id: string; address: string }> => {
    const { h } = this;
    const id = uniqueId(label);
    const address = `${id}@${domain}`;
    expect((await h.request('PUT', `/v1/recipients/${id}`, { token: h.service, body: { email: address, name: 'Ada <Lovelace>' } })).status).toBe(200);
    if (preferences) expect((await h.request('PUT', '/v1/preferences', { token: h.userToken(id), body: preferences })).status).toBe(200);
    return { id, address };
  };

  send = async (userId: string, body: Record<string, unknown> = {}): Promise<{ broadcast_id: string; notification_ids: string[] }> => {
    const created = await this.h.request('POST', '/v1/notifications', {
      token: this.h.service,
      body: { to: { user_ids: [userId] }, type: 'invoice', title: 'Invoice ready', ...body },
    });
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    return created.body;
  };

  logsOf = async (userId: string): Promise<Log[]> => {
    const { sql } = this.h.api.deps.database;
    return sql<Log[]>`
      select id, status, attempts, error, provider_message_id, template, subject, kind, notification_id
      from email_logs where user_id = ${userId} order by queued_at, id`;
  };
}
