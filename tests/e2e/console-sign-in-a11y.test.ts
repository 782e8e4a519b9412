/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '@tidings/test-support';
import { devSignIn, goTo, heading, openConsole, signedInConsole } from './console-session.ts';
import { bell, expectUnread, problemsOf, seriousAxeViolations, WebStack } from './web-stack.ts';

/**
 * The admin console end to end, as a person meets it: the dev sign-in, the admin's own
 * notification center, text from users shown as text, and every page accessible, in Chromium
 * against the real API, gateways and worker.
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

const XSS = '<script>alert(1)</script>';

function expectNoProblems(page: Page): void {
  expect(problemsOf(page)).toEqual({ errors: [], dialogs: [] });
}

describe('signing in', () => {
  it('signs in for development and out again', async () => {
    const page = await openConsole(stack);
    await heading(page, 'Sign in').waitFor();
    await devSignIn(page, 'console-admin', false);
    await heading(page, 'Overview').waitFor();
    await page.getByText('Signed in as console-admin').waitFor();
    // Kept in memory only: a reload signs out.
    await page.reload();
    await heading(page, 'Sign in').waitFor();
    await devSignIn(page, 'console-admin', true);
    await page.reload();
    await heading(page, 'Overview').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading(page, 'Sign in').waitFor();
    expectNoProblems(page);
  });

  it("holds the admin's own notification center in the header, live", async () => {
    const sub = uniqueId('ops');
    const page = await openConsole(stack);
    await devSignIn(page, sub);
    await expectUnread(page, 0);
    await stack.create({ to: { user_ids: [sub] }, type: 'ops.alert', title: 'Queue backlog above 1,000' });
    await expectUnread(page, 1);
    await bell(page).click();
    await page.getByRole('dialog').getByText('Queue backlog above 1,000').waitFor();
    expectNoProblems(page);
  });

  it('tells a non-admin token plainly that it is not an admin’s, and refuses a broken one', async () => {
    const page = await openConsole(stack);
    await page
      .getByRole('main')
      .getByLabel('Admin token')
      .fill(stack.env.sign({ sub: 'bob', roles: ['support'] }));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('This token is not an admin’s: it belongs to bob with roles support');
    await page.getByRole('main').getByLabel('Admin token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('This token is not valid or has expired');
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
  });
});

describe('text from users and senders', () => {
  it(`shows a name and a title of ${XSS} as text on every page`, async () => {
    const user = uniqueId('xss');
    await stack.request('PUT', `/v1/recipients/${user}`, { name: XSS, email: `${user}@example.com` }, admin, 200);
    await stack.create({ to: { user_ids: [user] }, type: 'xss.probe', title: XSS, body: `<img src=x onerror=alert(2)>` });
    const page = await signedInConsole(stack);
    await goTo(page, 'Notifications');
    await page.getByRole('cell', { name: XSS }).first().waitFor();
    await goTo(page, 'Broadcasts');
    await page.getByText(XSS).first().waitFor();
    await goTo(page, 'Recipients');
    await page.getByRole('searchbox', { name: 'Search' }).fill(user);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('cell', { name: XSS }).waitFor();
    await page.getByRole('link', { name: user, exact: true }).click();
    await page.getByText(XSS).first().waitFor();
    expect(await page.evaluate(() => document.querySelectorAll('main script, main img[src="x"]').length)).toBe(0);
    expectNoProblems(page);
  });
});

describe('accessibility', () => {
  it('every page passes an axe-core scan with no serious or critical violation, light and dark', async () => {
    const user = uniqueId('axe');
    await stack.request('PUT', `/v1/recipients/${user}`, { email: `${user}@example.com`, name: 'Axel' }, admin, 200);
    const { notification_ids: [notification] = [] } = await stack.create({ to: { user_ids: [user] }, type: 'axe.check', title: 'Checked' });
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await signedInConsole(stack, { colorScheme });
      const found: Record<string, string[]> = {};
      for (const [path, ready] of [
        ['/', 'Overview'],
        ['/compose', 'Compose'],
        ['/broadcasts', 'Broadcasts'],
        ['/notifications', 'Notifications'],
        [`/notifications/${notification}`, 'Notification'],
        ['/recipients', 'Recipients'],
        [`/recipients/${user}`, `Recipient ${user}`],
        ['/email', 'Email'],
        ['/email?tab=suppressions', 'Email'],
        ['/types', 'Notification types'],
        ['/types/new', 'New notification type'],
        ['/types/axe.check', 'Type axe.check'],
      ] as const) {
        await page.goto(`${stack.apiUrl}/console${path}`);
        await heading(page, ready).waitFor();
        await page.waitForLoadState('networkidle');
        const violations = await seriousAxeViolations(page);
        if (violations.length > 0) found[path] = violations;
      }
      expect(found, colorScheme).toEqual({});
      expectNoProblems(page);
    }
  }, 180_000);

  it('is usable by keyboard alone: the skip link, the navigation, and a dialog that takes focus and gives it back', async () => {
    const page = await signedInConsole(stack);
    const focused = () =>
      page.evaluate(() => ({
        text: document.activeElement?.textContent?.trim() ?? '',
        inDialog: !!document.activeElement?.closest('dialog'),
        id: document.activeElement?.id ?? '',
      }));
    await page.reload();
    await heading(page, 'Overview').waitFor();
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe('Skip to main content');
    for (let i = 0; i < 40 && (await focused()).text !== 'Compose'; i++) await page.keyboard.press('Tab');
    expect((await focused()).text).toBe('Compose');
    await page.keyboard.press('Enter');
    await heading(page, 'Compose').waitFor();
    // Everyone, then Send, by keys only: the confirmation takes focus, Escape gives it back.
    await page.getByRole('radio', { name: 'Users' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Everyone' }).isChecked()).resolves.toBe(true);
    await page.getByRole('main').getByLabel('Type').focus();
    await page.keyboard.type('keyboard.check');
    await page.keyboard.press('Tab');
    for (
      let i = 0;
      i < 10 &&
      !(await page
        .getByRole('main')
        .getByLabel('Title')
        .evaluate((el) => el === document.activeElement));
      i++
    )
      await page.keyboard.press('Tab');
    await page.keyboard.type('By keyboard');
    const send = page.getByRole('button', { name: 'Send', exact: true });
    await send.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await expect.poll(async () => (await focused()).inDialog).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    await expect.poll(() => send.evaluate((el) => el === document.activeElement)).toBe(true);
    expectNoProblems(page);
  });

  it('opens the navigation from the menu button on a phone', async () => {
    const page = await signedInConsole(stack, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
    await goTo(page, 'Recipients');
    await heading(page, 'Recipients').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  });
});
