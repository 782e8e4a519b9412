/// <reference lib="dom" />
/**
 * Writes the console's screenshots for the docs (docs/images/console-*.png): every page on a
 * desktop and on a phone, light and dark, against the whole stack with realistic sample data.
 *
 *   pnpm screenshots   (or just these: pnpm exec vitest run --config tests/e2e/shots.config.ts)
 *
 * It runs under vitest because the stack's test environment (a migrated template database) comes
 * from the test suite's global setup.
 */
import { mkdir } from 'node:fs/promises';
import { it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { createDatabase } from '@tidings/db';
import { rollUpMinutes } from '@tidings/domain';
import { TestSocket } from '../../services/gateway/tests/cluster.ts';
import { devSignIn, goTo, heading } from './console-session.ts';
import { problemsOf, watchPage, WebStack } from './web-stack.ts';

const outDir = fileURLToPath(new URL('../../docs/images/', import.meta.url));

const people = [
  { id: 'alice', name: 'Alice Martin', email: 'alice@example.com', roles: ['customer'], locale: 'en' },
  { id: 'bob', name: 'Bob Okafor', email: 'bob@example.com', roles: ['customer'], locale: 'en' },
  { id: 'maria', name: 'Μαρία Παπαδοπούλου', email: 'maria@example.gr', roles: ['customer', 'beta'], locale: 'el' },
  { id: 'nikos', name: 'Nikos Georgiou', email: 'nikos@example.gr', roles: ['support'], locale: 'el' },
  { id: 'priya', name: 'Priya Raman', email: 'priya@example.com', roles: ['support', 'admin'], locale: 'en' },
];

const invoiceTemplate = `<mjml>
  <mj-body background-color="#f4f5f7">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="20px" font-weight="700">{{title}}</mj-text>
        <mj-text>{{body}}</mj-text>
        <mj-button href="{{action_url}}" background-color="#2f55d4">View the invoice</mj-button>
        <mj-text font-size="12px" color="#6b7280"><a href="{{unsubscribe_url}}">Stop these emails</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

async function seed(stack: WebStack, admin: string): Promise<void> {
  for (const person of people)
    await stack.request(
      'PUT',
      `/v1/recipients/${person.id}`,
      { name: person.name, email: person.email, roles: person.roles, locale: person.locale },
      admin,
      200,
    );
  await stack.request(
    'PUT',
    '/v1/notification-types/invoice.ready',
    { description: 'Invoices and receipts', default_email: true, template: invoiceTemplate },
    admin,
  );
  await stack.request(
    'PUT',
    '/v1/notification-types/security.alert',
    { description: 'Sign-ins and password changes', critical: true, default_email: true },
    admin,
  );
  await stack.request('PUT', '/v1/notification-types/comment.created', { description: 'Comments on your work' }, admin);
  await stack.request('PUT', '/v1/notification-types/deploy.failed', { description: 'Failed deploys' }, admin);

  const send = (body: Record<string, unknown>) => stack.request('POST', '/v1/notifications', body, admin);
  const comments = ['Looks good to me, shipping it tomorrow.', 'Can you take a look at the launch checklist?', 'I left two notes on the pricing table.'];
  for (let i = 0; i < 36; i++) {
    const user = people[i % people.length]!.id;
    if (i % 9 === 4)
      await send({
        to: { user_ids: [user] },
        type: 'deploy.failed',
        title: `Deploy #${4800 + i} to production failed`,
        body: 'The integration tests failed.',
        priority: 'high',
      });
    else if (i % 6 === 1)
      await send({
        to: { user_ids: [user] },
        type: 'invoice.ready',
        title: `Invoice INV-2026-${String(110 + i).padStart(4, '0')} is ready`,
        body: 'Your November invoice of €1,240.00 is ready.',
        action_url: `/billing/invoices/${110 + i}`,
      });
    else
      await send({
        to: { user_ids: [user] },
        type: 'comment.created',
        title: `${people[(i + 1) % people.length]!.name} commented on “Onboarding flow”`,
        body: comments[i % comments.length],
      });
  }
  await send({
    to: { user_ids: ['alice'] },
    type: 'security.alert',
    title: 'New sign-in from an unrecognised device',
    body: 'Firefox on Windows, Athens. If this was not you, reset your password.',
    priority: 'critical',
  });
  await send({ to: { roles: ['customer'] }, type: 'product.update', title: 'Version 2.4 is out', body: 'Dark mode, faster search and a new inbox.' });
  await send({
    to: { all: true },
    type: 'maintenance',
    title: 'Planned maintenance on Sunday',
    body: 'Sign-in will be unavailable from 02:00 to 03:00 UTC.',
    send_at: new Date(Date.now() + 26 * 3600_000).toISOString(),
  });
  const cancelled = await send({
    to: { roles: ['beta'] },
    type: 'product.update',
    title: 'Beta survey',
    send_at: new Date(Date.now() + 3 * 3600_000).toISOString(),
  });
  await stack.request('POST', `/v1/admin/broadcasts/${(cancelled as { broadcast_id: string }).broadcast_id}/cancel`, undefined, admin, 204);
  await stack.request(
    'POST',
    '/v1/admin/email-suppressions',
    { address: 'old-address@example.com', detail: 'Mailbox closed, asked by the customer' },
    admin,
    201,
  );

  // Spread what was just sent over the last hour, as it would have arrived, so the charts have a shape.
  const database = createDatabase(stack.values.DATABASE_URL!, { max: 1, applicationName: 'console-screenshots' });
  const { sql } = database;
  await sql`update notifications set created_at = now() - (random() * interval '55 minutes') - interval '1 minute' where seq is not null and type <> 'security.alert'`;
  await sql`update email_logs set queued_at = n.created_at, sent_at = n.created_at + interval '2 seconds' from notifications n where n.id = email_logs.notification_id`;
  // The worker counted the minutes it saw closed before the rows moved back in time: count again.
  await sql`delete from notification_minute_counts`;
  await sql`update stats_rollup_state set rolled_from = now() - interval '8 days', rolled_until = now() - interval '8 days'`;
  while ((await rollUpMinutes(sql)).minutes > 0);
  // Some of it read since, as people do.
  await sql`update notifications set is_read = true, read_at = created_at + interval '3 minutes' where seq is not null and priority <> 'critical' and random() < 0.55`;
  await database.close();
}

/** Waits until every email the seed caused has left the queue, so the logs show their outcome. */
async function emailsSettled(stack: WebStack, admin: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const logs = await stack.request<{ items: Array<{ status: string }> }>('GET', '/v1/admin/email-logs?limit=100', undefined, admin, 200);
    if (logs.items.length > 0 && logs.items.every((log) => log.status !== 'queued')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the seeded emails never left the queue');
}

interface Variant {
  suffix: string;
  options: BrowserContextOptions;
}
const desktop: Variant = { suffix: '', options: { viewport: { width: 1280, height: 860 }, colorScheme: 'light' } };
/** The overview with both charts in the picture. */
const desktopTall: Variant = { suffix: '', options: { viewport: { width: 1280, height: 1140 }, colorScheme: 'light' } };
const desktopTallDark: Variant = { suffix: '-dark', options: { viewport: { width: 1280, height: 1140 }, colorScheme: 'dark' } };
const phone: Variant = { suffix: '-phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' } };
const phoneLight: Variant = {
  suffix: '-phone-light',
  options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'light' },
};

interface Shot {
  name: string;
  variants: Variant[];
  /** Gets the page ready for its picture. */
  act(page: Page): Promise<void>;
}

const shots: Shot[] = [
  { name: 'signin', variants: [desktop, phoneLight], act: async () => {} },
  {
    name: 'overview',
    variants: [desktopTall, desktopTallDark, phone],
    act: async (page) => {
      await page.getByRole('img', { name: /^Notifications created in the last hour: [1-9]/ }).waitFor();
      await page.getByRole('img', { name: /^Emails in the last hour: [1-9]/ }).waitFor();
    },
  },
  {
    name: 'overview-el',
    variants: [desktopTall],
    act: async (page) => {
      await page.getByRole('combobox', { name: 'Language' }).selectOption('el');
      await page.locator('html[lang="el"]').waitFor({ state: 'attached' });
      await page
        .getByRole('img', { name: /: [1-9]/ })
        .first()
        .waitFor();
    },
  },
  {
    name: 'compose',
    variants: [desktop, phone],
    act: async (page) => {
      await goTo(page, 'Compose');
      await page.getByRole('main').getByLabel('User ids').fill('alice, bob, maria');
      await page.getByRole('main').getByLabel('Type').fill('comment.created');
      await page.getByRole('main').getByLabel('Title').fill('Your report is ready');
      await page.getByRole('main').getByLabel('Body').fill('The quarterly report finished building and is ready to download.');
      await page.getByRole('main').getByLabel('Action URL').fill('/reports/2026-q4');
      await page.getByText('3 recipients', { exact: true }).waitFor();
    },
  },
  {
    name: 'broadcasts',
    variants: [desktop, phone],
    act: async (page) => {
      await goTo(page, 'Broadcasts');
      await page.getByRole('row').filter({ hasText: 'Planned maintenance on Sunday' }).waitFor();
    },
  },
  {
    name: 'notifications',
    variants: [desktop, phone],
    act: async (page) => {
      await goTo(page, 'Notifications');
      await page.getByRole('row').filter({ hasText: 'New sign-in from an unrecognised device' }).waitFor();
    },
  },
  {
    name: 'recipient',
    variants: [desktop, phone],
    act: async (page) => {
      await goTo(page, 'Recipients');
      await page.getByRole('link', { name: 'alice', exact: true }).click();
      await heading(page, 'Recipient alice').waitFor();
      await page
        .getByRole('table', { name: /^Open connections/ })
        .getByRole('row')
        .nth(2)
        .waitFor();
    },
  },
  {
    name: 'email-log',
    variants: [desktop, phone],
    act: async (page) => {
      await goTo(page, 'Email');
      await page.getByRole('row').filter({ hasText: 'Invoice INV-2026' }).first().getByRole('link').first().click();
      await page.frameLocator('iframe[title^="The email as HTML"]').getByText('View the invoice').waitFor();
    },
  },
  {
    name: 'type-editor',
    variants: [desktop, phone],
    act: async (page) => {
      await goTo(page, 'Notification types');
      await page.getByRole('link', { name: 'invoice.ready' }).click();
      await page.frameLocator('iframe').first().getByText('View the invoice').waitFor();
    },
  },
];

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const stack = await WebStack.start();
  try {
    const admin = stack.env.sign({ sub: 'priya', roles: ['admin'] });
    await seed(stack, admin);
    await emailsSettled(stack, admin);
    // Alice online in two tabs on different gateways, Bob on one.
    const sockets = [
      new TestSocket(`http://127.0.0.1:${stack.ports.gateways[0]}`, { token: stack.env.sign({ sub: 'alice' }) }),
      new TestSocket(`http://127.0.0.1:${stack.ports.gateways[1]}`, { token: stack.env.sign({ sub: 'alice' }) }),
      new TestSocket(`http://127.0.0.1:${stack.ports.gateways[1]}`, { token: stack.env.sign({ sub: 'bob' }) }),
    ];
    await Promise.all(sockets.map((socket) => socket.opened));
    for (const shot of shots) {
      for (const variant of shot.variants) {
        const context = await stack.context({ timezoneId: 'Europe/Athens', locale: 'en-GB', ...variant.options });
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        watchPage(page);
        await page.goto(`${stack.apiUrl}/console/`);
        if (shot.name !== 'signin') {
          await devSignIn(page, 'priya');
          await heading(page, 'Overview').waitFor();
        }
        await shot.act(page);
        await page.waitForLoadState('networkidle');
        // No hover or focus ring in the picture.
        await page.mouse.move(0, 0);
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
        const file = `${outDir}console-${shot.name}${variant.suffix}.png`;
        await page.screenshot({ path: file });
        const problems = problemsOf(page);
        if (problems.errors.length + problems.dialogs.length > 0) throw new Error(`${file}: ${JSON.stringify(problems)}`);
        console.log(`wrote ${file}`);
        await context.close();
      }
    }
    for (const socket of sockets) socket.close();
  } finally {
    await stack.close();
  }
}

it('writes the console screenshots', main, 900_000);
