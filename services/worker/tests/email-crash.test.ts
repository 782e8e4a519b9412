import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tidings/server-kit';
import { eventually, serviceEntries, spawnService, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from '../../api/tests/harness.ts';
import { startWorker, type RunningWorker } from '../src/main.ts';
import { SmtpSink } from './smtp-sink.ts';

const EMAILS = 1_000;

let h: ApiHarness;
let sink: SmtpSink;
const children: ChildProcess[] = [];
const workers: RunningWorker[] = [];

beforeAll(async () => {
  sink = await new SmtpSink({ countOnly: true }).start();
  h = await startHarness({ SMTP_URL: sink.url, EMAIL_RETRY_BASE_MS: '100' });
  await h.request('PUT', '/v1/notification-types/statement', { token: h.admin, body: { default_email: true } });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.close()));
  await h?.close();
  await sink?.close();
});

/** The worker as its own process, as `npm start` runs it, so it can be killed. */
async function spawnWorker(): Promise<ChildProcess> {
  const worker = await spawnService('worker', serviceEntries.worker, { ...h.env, WORKER_PORT: '0', LOG_LEVEL: 'info' });
  children.push(worker.child);
  return worker.child;
}

/** 1,000 recipients with an address and one send to all of them: 1,000 queued emails. */
async function sendToMany(label: string): Promise<string[]> {
  const { sql } = h.api.deps.database;
  const ids = Array.from({ length: EMAILS }, (_, i) => `${uniqueId(label)}-${i}`);
  await sql`insert into recipients (id, email) select id, id || '@example.com' from unnest(${ids}::text[]) as u(id)`;
  const created = await h.request('POST', '/v1/notifications', {
    token: h.service,
    body: { to: { user_ids: ids }, type: 'statement', title: 'Your statement' },
  });
  expect(created.status).toBe(201);
  return ids;
}

async function logIdsOf(userIds: string[]): Promise<{ id: string; status: string }[]> {
  const { sql } = h.api.deps.database;
  return sql<{ id: string; status: string }[]>`select id, status from email_logs where user_id = any(${userIds}::text[])`;
}

function arrivedFor(logIds: Set<string>): { total: number; distinct: number } {
  const ids = sink.messages.map((m) => /^<([0-9a-f-]+)@/.exec(m.messageId)?.[1] ?? '').filter((id) => logIds.has(id));
  return { total: ids.length, distinct: new Set(ids).size };
}

async function restartedWorker(): Promise<RunningWorker> {
  // Short locks so the killed worker's jobs are taken up again quickly.
  const worker = await startWorker(h.config, createLogger('worker', 'silent'), { port: 0, emailLockMs: 1_000, stalledCheckMs: 500 });
  workers.push(worker);
  return worker;
}

describe('a worker stopped in the middle of 1,000 emails', () => {
  it('on SIGTERM finishes the emails in hand; after a restart every email is sent exactly once', async () => {
    const child = await spawnWorker();
    const users = await sendToMany('term');
    await eventually(() => expect(sink.messages.length).toBeGreaterThanOrEqual(200), 20_000, 5);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    const logIds = new Set((await logIdsOf(users)).map((log) => log.id));
    const before = arrivedFor(logIds);
    expect(before.total).toBeLessThan(EMAILS);

    const worker = await restartedWorker();
    await eventually(async () => expect((await logIdsOf(users)).filter((log) => log.status !== 'sent')).toEqual([]), 30_000);
    expect(arrivedFor(logIds)).toEqual({ total: EMAILS, distinct: EMAILS });
    await worker.close();
  });

  it('on SIGKILL loses none after a restart; only an email in flight at the kill can arrive twice, with the same Message-ID', async () => {
    const child = await spawnWorker();
    const users = await sendToMany('kill');
    await eventually(() => expect(sink.messages.length).toBeGreaterThanOrEqual(EMAILS + 200), 20_000, 5);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const logIds = new Set((await logIdsOf(users)).map((log) => log.id));
    expect(arrivedFor(logIds).total).toBeLessThan(EMAILS);

    await restartedWorker();
    await eventually(async () => expect((await logIdsOf(users)).filter((log) => log.status !== 'sent')).toEqual([]), 60_000);
    const after = arrivedFor(logIds);
    expect(after.distinct).toBe(EMAILS);
    // Accepted by the server but not yet recorded when the process died: at most one per email in hand.
    expect(after.total - after.distinct).toBeLessThanOrEqual(h.config.EMAIL_CONCURRENCY);
    console.info(`SIGKILL mid-run: ${after.total - after.distinct} of ${EMAILS} emails arrived twice (same Message-ID)`);
  });
});
