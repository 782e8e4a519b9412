/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueId } from '@tidings/test-support';
import { bell, expectUnread, panel, problemsOf, seriousAxeViolations, WebStack } from './web-stack.ts';

/**
 * The notification center end to end: the demo page the API serves, signed in through the dev
 * token route, in headless Chromium, against the API, both gateways, the worker and the dev
 * mailbox, each its own process.
 */
let stack: WebStack;
beforeAll(async () => {
  stack = await WebStack.start();
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const item = (page: Page, title: string) => panel(page).getByRole('article', { name: title });
const openPanel = async (page: Page) => {
  await bell(page).click();
  await panel(page).waitFor();
};

describe('the notification center on a page', () => {
  it('shows a notification created over REST in the open page at once, and the bell counts it', async () => {
    const user = uniqueId('e2e');
    const context = await stack.context();
    const page = await stack.openDemo(context, user);
    await expectUnread(page, 0);
    await eventually(async () => expect(await stack.connectionsOf(user)).toHaveLength(1));
    await openPanel(page);
    const sent = Date.now();
    await stack.create({ to: { user_ids: [user] }, type: 'comment.created', title: 'Maria commented', body: 'Looks great' });
    await item(page, 'Maria commented').waitFor({ timeout: 5_000 });
    const shownAfterMs = Date.now() - sent;
    await expectUnread(page, 1);
    console.log(`REST create → rendered in the page: ${shownAfterMs} ms`);
    expect(problemsOf(page)).toEqual({ errors: [], dialogs: [] });
  });

  it('marks one read in one tab and every tab and device shows it, with the server’s count', async () => {
    const user = uniqueId('e2e');
    const laptop = await stack.context();
    const phone = await stack.context({ viewport: { width: 390, height: 844 } });
    const [tabA, tabB, device] = [await stack.openDemo(laptop, user), await stack.openDemo(laptop, user), await stack.openDemo(phone, user)];
    await eventually(async () => expect(await stack.connectionsOf(user)).toHaveLength(2));
    for (const title of ['First', 'Second']) await stack.create({ to: { user_ids: [user] }, type: 'task.assigned', title });
    for (const page of [tabA, tabB, device]) await expectUnread(page, 2);
    await openPanel(tabA);
    await item(tabA, 'First').getByRole('button', { name: 'Mark as read' }).click();
    for (const page of [tabA, tabB, device]) await expectUnread(page, 1);
    await openPanel(tabB);
    await item(tabB, 'First').getByRole('button', { name: 'Mark as unread' }).waitFor();
    await item(tabB, 'Second').getByRole('button', { name: 'Mark as read' }).waitFor();
  });

  it('deletes one, clears the read ones, and the API agrees', async () => {
    const user = uniqueId('e2e');
    const page = await stack.openDemo(await stack.context(), user);
    for (const title of ['Keep me', 'Delete me', 'Read me']) await stack.create({ to: { user_ids: [user] }, type: 'task.assigned', title });
    await openPanel(page);
    await item(page, 'Delete me').getByRole('button', { name: 'Delete' }).click();
    await item(page, 'Delete me').waitFor({ state: 'detached' });
    await item(page, 'Read me').getByRole('button', { name: 'Mark as read' }).click();
    await expectUnread(page, 1);
    await panel(page).getByRole('button', { name: 'More actions' }).click();
    await panel(page).getByRole('menuitem', { name: 'Clear read' }).click();
    await item(page, 'Read me').waitFor({ state: 'detached' });
    // The panel shows the change at once; the API call behind it may still be on its way.
    await eventually(async () => {
      const { items } = await stack.request('GET', '/v1/notifications', undefined, stack.env.sign({ sub: user }), 200);
      expect(items.map((n: { title: string }) => n.title)).toEqual(['Keep me']);
    });
  });

  it('stores a preference changed in the panel, and a type switched off for email sends no email', async () => {
    const user = uniqueId('e2e');
    const admin = stack.env.sign({ sub: 'root', roles: ['admin'] });
    const type = `${user}.mail`;
    await stack.request('PUT', `/v1/notification-types/${type}`, { description: 'Weekly report', default_email: true }, admin, 200);
    await stack.request('PUT', `/v1/recipients/${user}`, { email: `${user}@example.com` }, admin, 200);
    await stack.create({ to: { user_ids: [user] }, type, title: 'Report one' });
    const page = await stack.openDemo(await stack.context(), user);
    await openPanel(page);
    await panel(page).getByRole('button', { name: 'Notification preferences' }).click();
    const emailBox = panel(page).getByRole('checkbox', { name: 'Weekly report Email' });
    expect(await emailBox.isChecked()).toBe(true);
    await emailBox.uncheck();
    await panel(page).getByText('Saved').waitFor();
    const stored = await stack.request('GET', '/v1/preferences', undefined, stack.env.sign({ sub: user }), 200);
    expect(stored.types[type]).toMatchObject({ email: false });
    const mailed = async () => (await stack.mailbox()).filter((message) => message.to.includes(user)).map((message) => message.subject);
    await eventually(async () => expect(await mailed()).toHaveLength(1), 15_000);
    await stack.create({ to: { user_ids: [user] }, type, title: 'Report two' });
    await item(page, 'Report two')
      .or(panel(page).getByRole('checkbox', { name: 'Weekly report Email' }))
      .first()
      .waitFor();
    // The in-app copy arrives; the worker's logs say why no email followed.
    await eventually(async () => {
      const { items } = await stack.request('GET', `/v1/admin/email-logs?user_id=${encodeURIComponent(user)}`, undefined, admin, 200);
      expect(items.length).toBeGreaterThanOrEqual(1);
    });
    const count = await stack.request('GET', '/v1/notifications/unread-count', undefined, stack.env.sign({ sub: user }), 200);
    expect(count.count).toBe(2);
    expect(await mailed()).toHaveLength(1);
  });

  it('delivers a broadcast to a role to two signed-in users’ pages', async () => {
    const role = uniqueId('role');
    const users = [uniqueId('e2e'), uniqueId('e2e')];
    const admin = stack.env.sign({ sub: 'root', roles: ['admin'] });
    for (const user of users) await stack.request('PUT', `/v1/recipients/${user}`, { roles: [role] }, admin, 200);
    const pages = await Promise.all(users.map(async (user) => stack.openDemo(await stack.context(), user)));
    for (const user of users) await eventually(async () => expect(await stack.connectionsOf(user)).toHaveLength(1));
    const created = await stack.create({ to: { roles: [role] }, type: 'release.shipped', title: 'Version 2.0 is out' });
    expect(created.recipient_count).toBe(2);
    for (const page of pages) {
      await openPanel(page);
      await item(page, 'Version 2.0 is out').waitFor();
    }
  });

  it('sends an email-enabled notification to the dev mailbox', async () => {
    const user = uniqueId('e2e');
    const page = await stack.openDemo(await stack.context(), user);
    await page.getByRole('button', { name: 'Send one by email too' }).click();
    await page.getByText(`the email to ${user}@example.com is in the dev mailbox`, { exact: false }).waitFor();
    await eventually(async () => {
      const message = (await stack.mailbox()).find((candidate) => candidate.to.includes(`${user}@example.com`));
      expect(message?.subject).toContain('New sign-in from Firefox on Linux');
    }, 15_000);
    await expectUnread(page, 1);
  });

  it('catches up after being offline: five notifications appear once each, in order', async () => {
    const user = uniqueId('e2e');
    const context = await stack.context();
    const page = await stack.openDemo(context, user);
    await openPanel(page);
    await eventually(async () => expect(await stack.connectionsOf(user)).toHaveLength(1));
    // The browser's offline mode stops new requests but leaves an open WebSocket up: the link to
    // the gateways goes down too, as on a real network.
    await context.setOffline(true);
    await stack.cutGateways();
    await panel(page).getByText('You’re offline', { exact: false }).waitFor();
    await eventually(async () => expect(await stack.connectionsOf(user)).toEqual([]), 20_000);
    for (let i = 1; i <= 5; i++) await stack.create({ to: { user_ids: [user] }, type: 'task.assigned', title: `Offline ${i}` });
    await stack.restoreGateways();
    await context.setOffline(false);
    await expectUnread(page, 5, 20_000);
    await item(page, 'Offline 1').waitFor();
    const titles = await panel(page)
      .getByRole('article')
      .evaluateAll((articles) => articles.map((article) => article.querySelector('h3')?.textContent?.trim()));
    expect(titles).toEqual(['Offline 5', 'Offline 4', 'Offline 3', 'Offline 2', 'Offline 1']);
  });

  it('holds one gateway connection for two tabs, and closing the leader tab hands over without losing a notification', async () => {
    const user = uniqueId('e2e');
    const context = await stack.context();
    const first = await stack.openDemo(context, user);
    await eventually(async () => expect(await stack.connectionsOf(user)).toHaveLength(1));
    const second = await stack.openDemo(context, user);
    await stack.create({ to: { user_ids: [user] }, type: 'task.assigned', title: 'Both tabs' });
    for (const page of [first, second]) await expectUnread(page, 1);
    expect(await stack.connectionsOf(user)).toHaveLength(1);
    await first.close();
    await stack.create({ to: { user_ids: [user] }, type: 'task.assigned', title: 'During the handover' });
    await expectUnread(second, 2, 20_000);
    await eventually(async () => expect(await stack.connectionsOf(user)).toHaveLength(1), 20_000);
    await openPanel(second);
    await item(second, 'During the handover').waitFor();
    expect(await panel(second).getByRole('article', { name: 'During the handover' }).count()).toBe(1);
  });

  it('renders a title that looks like HTML as text, and no script runs', async () => {
    const user = uniqueId('e2e');
    const page = await stack.openDemo(await stack.context(), user);
    const title = '<img src=x onerror=alert(1)>';
    await stack.create({ to: { user_ids: [user] }, type: 'task.assigned', title, body: '<script>alert(2)</script>' });
    await openPanel(page);
    await item(page, title).waitFor();
    expect(await item(page, title).locator('img').count()).toBe(0);
    expect(await item(page, title).getByText('<script>alert(2)</script>').count()).toBe(1);
    expect(problemsOf(page).dialogs).toEqual([]);
  });

  it('works by keyboard alone: Tab to the bell, Enter opens, arrows reach items, Escape closes onto the bell', async () => {
    const user = uniqueId('e2e');
    const page = await stack.openDemo(await stack.context(), user);
    for (const title of ['Older', 'Newer']) await stack.create({ to: { user_ids: [user] }, type: 'task.assigned', title });
    await expectUnread(page, 2);
    await page.locator('body').focus();
    let onBell = false;
    for (let i = 0; i < 20 && !onBell; i++) {
      await page.keyboard.press('Tab');
      onBell = await bell(page).evaluate((button) => {
        let active = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return active === button;
      });
    }
    expect(onBell).toBe(true);
    await page.keyboard.press('Enter');
    await panel(page).waitFor();
    for (const title of ['Newer', 'Older']) await item(page, title).waitFor();
    const focusedTitle = () =>
      page.evaluate(() => {
        let active = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        // The item itself, not a link or button inside it: arrows move between items from there.
        return active?.tagName === 'ARTICLE' ? active.querySelector('h3')?.textContent?.trim() : (active?.getAttribute('aria-label') ?? active?.tagName);
      });
    let reached: string | undefined;
    for (let i = 0; i < 20 && reached !== 'Newer'; i++) {
      await page.keyboard.press('Tab');
      reached = await focusedTitle();
    }
    expect(reached).toBe('Newer');
    await page.keyboard.press('ArrowDown');
    await eventually(async () => expect(await focusedTitle()).toBe('Older'), 5_000);
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden' });
    expect(
      await bell(page).evaluate((button) => {
        let active = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return active === button;
      }),
    ).toBe(true);
  });

  it('passes an axe-core scan of the open panel, light and dark, with no serious or critical violation', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const user = uniqueId('e2e');
      // What the scan looks at comes in the first page (live arrivals have tests of their own).
      await stack.create({ to: { user_ids: [user] }, type: 'deploy.failed', title: 'Deploy failed', body: 'Rolled back', priority: 'high' });
      await stack.create({ to: { user_ids: [user] }, type: 'task.assigned', title: 'A task', body: 'Due Friday' });
      const page = await stack.openDemo(await stack.context({ colorScheme }), user);
      await expectUnread(page, 2);
      await openPanel(page);
      await item(page, 'A task').waitFor();
      const violations = await seriousAxeViolations(page);
      expect(violations, colorScheme).toEqual([]);
    }
  }, 120_000);

  it('fills a phone screen with the panel', async () => {
    const user = uniqueId('e2e');
    const page = await stack.openDemo(await stack.context({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }), user);
    await openPanel(page);
    const box = await panel(page).boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 844 });
  });
});
