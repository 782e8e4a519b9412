/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueId } from '@tidings/test-support';
import { TestSocket } from '../../services/gateway/tests/cluster.ts';
import { goTo, heading, signedInConsole } from './console-session.ts';
import { problemsOf, WebStack } from './web-stack.ts';

/**
 * The admin console's pages at work end to end: composing and scheduling sends, recipients and
 * their connections, delivery logs, notification types and the overview chart, driving the real
 * API, gateways and worker in Chromium.
 */
let stack: WebStack;
let admin: string;
beforeAll(async () => {
  stack = await WebStack.start();
  admin = stack.env.sign({ sub: 'e2e-admin', roles: ['admin'] });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const inboxOf = async (user: string) =>
  (await stack.request<{ items: Array<{ title: string }> }>('GET', '/v1/notifications?limit=100', undefined, stack.env.sign({ sub: user }), 200)).items;

/** A datetime-local value `seconds` from now, in UTC (the console's contexts run in UTC). */
const localTimeIn = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString().slice(0, 19);

function expectNoProblems(page: Page): void {
  expect(problemsOf(page)).toEqual({ errors: [], dialogs: [] });
}

describe('compose', () => {
  it('shows the recipient count before sending to two users, and both inboxes hold it after one send, however often it is clicked', async () => {
    const [a, b] = [uniqueId('ann'), uniqueId('ben')];
    const title = uniqueId('Release notes');
    const page = await signedInConsole(stack);
    await goTo(page, 'Compose');
    await page.getByRole('main').getByLabel('User ids').fill(`${a}, ${b}\n${a}`);
    await page.getByText('2 recipients', { exact: true }).waitFor();
    await page.getByRole('main').getByLabel('Type').fill('product.update');
    await page.getByRole('main').getByLabel('Title').fill(title);
    await page.getByRole('main').getByLabel('Body').fill('Version 2 is out.');
    await page.getByRole('button', { name: 'Send', exact: true }).dblclick();
    await page.getByText('Sent to 2 recipients').waitFor();
    for (const user of [a, b]) await eventually(async () => expect((await inboxOf(user)).map((n) => n.title)).toEqual([title]));
    expectNoProblems(page);
  });

  it('asks before sending to everyone, naming the count, and sends nothing when that is declined', async () => {
    const title = uniqueId('All hands');
    const page = await signedInConsole(stack);
    await goTo(page, 'Compose');
    await page.getByRole('radio', { name: 'Everyone' }).check();
    await page.getByRole('main').getByLabel('Type').fill('company.news');
    await page.getByRole('main').getByLabel('Title').fill(title);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading').innerText()).toMatch(/^Send to all \d[\d,]* recipients?\?$/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const broadcasts = async () =>
      (await stack.request<{ items: Array<{ title: string }> }>('GET', '/v1/admin/broadcasts?limit=100', undefined, admin, 200)).items;
    expect((await broadcasts()).map((item) => item.title)).not.toContain(title);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await dialog.getByRole('button', { name: 'Send to everyone' }).click();
    await page.getByText(/^Sent to \d[\d,]* recipients?$/).waitFor();
    expect((await broadcasts()).map((item) => item.title)).toContain(title);
  });

  it('schedules a send that shows as scheduled and, cancelled, never arrives', async () => {
    const [cancelledUser, witness] = [uniqueId('carl'), uniqueId('wit')];
    const title = uniqueId('Maintenance tonight');
    const page = await signedInConsole(stack);
    await goTo(page, 'Compose');
    await page.getByRole('main').getByLabel('User ids').fill(cancelledUser);
    await page.getByRole('main').getByLabel('Type').fill('ops.maintenance');
    await page.getByRole('main').getByLabel('Title').fill(title);
    await page.getByRole('radio', { name: 'Schedule' }).check();
    await page.getByText('Time zone: UTC').waitFor();
    const sendAt = new Date(Date.now() + 25_000);
    await page.getByRole('main').getByLabel('Send at').fill(localTimeIn(25));
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByText(/^Scheduled for /).waitFor();
    // The witness is due a second later: once it is in its inbox, the cancelled one would have arrived.
    await stack.request(
      'POST',
      '/v1/notifications',
      { to: { user_ids: [witness] }, type: 'ops.maintenance', title: 'witness', send_at: new Date(sendAt.getTime() + 1_000).toISOString() },
      admin,
      202,
    );

    await page.getByRole('link', { name: 'View in Broadcasts' }).click();
    await heading(page, 'Broadcasts').waitFor();
    const row = page.getByRole('row').filter({ hasText: title });
    await expect.poll(() => row.innerText()).toContain('Scheduled');
    await row.getByRole('button', { name: `Cancel “${title}”` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel broadcast' }).click();
    await page.getByText(`“${title}” is cancelled.`).waitFor();
    await expect.poll(() => row.innerText()).toContain('Cancelled');

    await eventually(async () => expect((await inboxOf(witness)).map((n) => n.title)).toEqual(['witness']), 60_000);
    expect(await inboxOf(cancelledUser)).toEqual([]);
  }, 120_000);
});

describe('recipients', () => {
  it("lists a user's live connections on both gateways, and force disconnect closes them with 4003", async () => {
    const user = uniqueId('dora');
    await stack.request('PUT', `/v1/recipients/${user}`, { name: 'Dora Explorer', email: `${user}@example.com`, roles: ['support'] }, admin, 200);
    const token = stack.env.sign({ sub: user });
    const sockets = stack.ports.gateways.map((port) => new TestSocket(`http://127.0.0.1:${port}`, { token }));
    await Promise.all(sockets.map((socket) => socket.opened));

    const page = await signedInConsole(stack);
    await goTo(page, 'Recipients');
    await page.getByRole('searchbox', { name: 'Search' }).fill(user);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: user, exact: true }).click();
    await heading(page, `Recipient ${user}`).waitFor();
    await page.getByText(`${user}@example.com`).first().waitFor();
    const connections = page.getByRole('table', { name: /^Open connections/ });
    await expect.poll(() => connections.getByRole('row').count()).toBe(3);
    await page.getByRole('button', { name: 'Force disconnect' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
    await page.getByText('Closed 2 connections.').waitFor();
    expect(await Promise.all(sockets.map((socket) => socket.closedPromise))).toEqual([4003, 4003]);
    expectNoProblems(page);
  });

  it('says plainly when no recipient has the id', async () => {
    const page = await signedInConsole(stack);
    await page.goto(`${stack.apiUrl}/console/recipients/nobody-${Date.now()}`);
    await page.getByText(/^No recipient with id “nobody-\d+”\.$/).waitFor();
  });
});

describe('email', () => {
  it("opens a delivery log's rendered email, HTML and text", async () => {
    const user = uniqueId('erin');
    const title = uniqueId('Invoice ready');
    await stack.request('PUT', `/v1/recipients/${user}`, { email: `${user}@example.com`, name: 'Erin' }, admin, 200);
    await stack.request('PUT', '/v1/notification-types/console.invoice', { default_email: true }, admin);
    await stack.create({ to: { user_ids: [user] }, type: 'console.invoice', title, body: 'Your invoice is attached.' });
    await eventually(async () => {
      const logs = await stack.request<{ items: Array<{ status: string }> }>('GET', `/v1/admin/email-logs?user_id=${user}`, undefined, admin, 200);
      expect(logs.items.map((log) => log.status)).toEqual(['sent']);
    }, 30_000);

    const page = await signedInConsole(stack);
    await goTo(page, 'Email');
    await page.getByRole('main').getByLabel('User id').fill(user);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.getByRole('row').filter({ hasText: `${user}@example.com` });
    await row.getByRole('link').first().click();
    await heading(page, `Email to ${user}@example.com`).waitFor();
    const frame = page.frameLocator('iframe[title^="The email as HTML"]');
    await frame.getByText(title).first().waitFor();
    await page.getByRole('tab', { name: 'Text' }).click();
    await expect.poll(() => page.getByRole('main').getByLabel('The email as text').innerText()).toContain(title);
    expectNoProblems(page);
  });
});

describe('notification types', () => {
  it('refuses a bad MJML template with its error and saves nothing', async () => {
    const key = `console.bad${Date.now()}`;
    const page = await signedInConsole(stack);
    await goTo(page, 'Notification types');
    await page.getByRole('link', { name: 'New type' }).click();
    await page.getByRole('main').getByLabel('Key', { exact: true }).fill(key);
    await page
      .getByRole('main')
      .getByLabel('MJML template')
      .fill('<mjml><mj-body><mj-section><mj-column><mj-text color="nope">{{title}}</mj-text></mj-column></mj-section></mj-body></mjml>');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').allInnerTexts(), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/invalid MJML template/)]));
    const saved = await stack.request<{ created_at: string | null }>('GET', `/v1/notification-types/${key}`, undefined, admin, 200);
    expect(saved.created_at).toBeNull();
  });
});

describe('overview', () => {
  it('charts the notifications just sent, by type', async () => {
    const type = `console.chart${Date.now() % 100_000}`;
    for (let i = 0; i < 3; i++) await stack.create({ to: { user_ids: [uniqueId('chart')] }, type, title: `chart ${i}` });
    const page = await signedInConsole(stack);
    const chart = page.getByRole('img', { name: /^Notifications created in the last hour/ });
    await expect.poll(async () => (await chart.getAttribute('aria-label')) ?? '', { timeout: 30_000 }).toContain(`${type} 3`);
    expectNoProblems(page);
  });
});
