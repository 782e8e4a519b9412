import type { WireNotification } from '@tidings/client';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasFocus, inbox, openPanel, waitFor } from './harness.ts';
import { useHarness } from './use-harness.ts';

const harness = useHarness();

const article = (page: Page, name: string) => page.getByRole('feed').getByRole('article', { name, exact: true });
const titles = (page: Page) => page.getByRole('feed').getByRole('heading').allTextContents();

describe('the list', () => {
  it('shows history newest first, then prepends a live notification and announces it', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(2) });
    await openPanel(page);
    expect(await titles(page)).toEqual(['Notification 2', 'Notification 1']);

    backend.publish({ title: 'Build finished', body: 'main is green' });
    await article(page, 'Build finished').waitFor();
    expect((await titles(page))[0]).toBe('Build finished');
    await page.getByRole('status').filter({ hasText: 'New notification: Build finished' }).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Notifications, 3 unread' }).waitFor({ state: 'attached' });
  });

  it('announces a burst as one message, also while the panel is closed', async () => {
    const { page, backend } = await harness.open();
    for (let i = 0; i < 4; i++) backend.publish({ title: `Burst ${i}` });
    await page.getByRole('status').filter({ hasText: '4 new notifications' }).waitFor({ state: 'attached' });
  });

  it('marks one read and unread, and deletes one, in the backend', async () => {
    let seeded: WireNotification[] = [];
    const { page, backend } = await harness.open({ prepare: (b) => (seeded = b.seedMany(2)) });
    const [first, second] = seeded as [WireNotification, WireNotification];
    await openPanel(page);
    const item = article(page, 'Notification 1');

    await item.getByRole('button', { name: 'Mark as read' }).click();
    await waitFor(() => first.is_read, 'the read to reach the backend');
    await item.getByRole('button', { name: 'Mark as unread' }).click();
    await waitFor(() => !first.is_read, 'the unread to reach the backend');
    expect(backend.requestsTo('POST', `/v1/notifications/${first.id}/read`)).toHaveLength(1);
    expect(backend.requestsTo('POST', `/v1/notifications/${first.id}/unread`)).toHaveLength(1);

    await article(page, 'Notification 2').getByRole('button', { name: 'Delete' }).click();
    await article(page, 'Notification 2').waitFor({ state: 'detached' });
    expect(backend.isDeleted(second.id)).toBe(true);
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ state: 'attached' });
  });

  it('marks all read and clears read ones from the "More actions" menu', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(4, (i) => ({ is_read: i < 2 })) });
    await openPanel(page);
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Clear read' }).click();
    await article(page, 'Notification 1').waitFor({ state: 'detached' });
    expect(backend.requestsTo('POST', '/v1/notifications/delete').map((r) => r.body)).toEqual([{ all_read: true }]);
    expect(await titles(page)).toEqual(['Notification 4', 'Notification 3']);

    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Mark all as read' }).click();
    await waitFor(() => backend.unreadCount === 0, 'everything to be read');
    expect(backend.requestsTo('POST', '/v1/notifications/read-all').map((r) => r.body)).toEqual([{}]);
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor({ state: 'attached' });
    await article(page, 'Notification 4').getByRole('button', { name: 'Mark as unread' }).waitFor();
  });

  it('opens the menu by keyboard, moves with arrows, and Escape closes only the menu', async () => {
    const { page } = await harness.open({ prepare: (b) => b.seedMany(1) });
    await openPanel(page);
    await page.getByRole('button', { name: 'More actions' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Mark all as read' }).waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await hasFocus(page.getByRole('menuitem', { name: 'Clear read' }))).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    expect(await page.getByRole('dialog').isVisible()).toBe(true);
  });

  it('applies read, unread, delete and mark-all changes made on other devices at once', async () => {
    let seeded: WireNotification[] = [];
    const { page, backend } = await harness.open({ prepare: (b) => (seeded = b.seedMany(3)) });
    const [first, second, third] = seeded as [WireNotification, WireNotification, WireNotification];
    await openPanel(page);

    backend.changeElsewhere({ read: [first.id] });
    await article(page, 'Notification 1').getByRole('button', { name: 'Mark as unread' }).waitFor();
    backend.changeElsewhere({ unread: [first.id] });
    await article(page, 'Notification 1').getByRole('button', { name: 'Mark as read' }).waitFor();
    backend.changeElsewhere({ deleted: [second.id] });
    await article(page, 'Notification 2').waitFor({ state: 'detached' });
    backend.changeElsewhere({ allRead: true });
    await article(page, 'Notification 3').getByRole('button', { name: 'Mark as unread' }).waitFor();
    await article(page, 'Notification 1').getByRole('button', { name: 'Mark as unread' }).waitFor();
    expect(third.is_read).toBe(true);
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor({ state: 'attached' });
  });

  it('sends the type filter, the unread-only switch and the (debounced) search as query parameters', async () => {
    const { page, backend } = await harness.open({
      prepare: (b) => {
        b.seed({ type: 'mention', title: 'Ana mentioned you' });
        b.seed({ type: 'comment.created', title: 'Deploy notes commented' });
        b.seed({ type: 'mention', title: 'Deploy mention', is_read: true });
      },
    });
    await openPanel(page);
    const lists = () => backend.requestsTo('GET', '/v1/notifications').map((r) => Object.fromEntries(r.query));

    await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Mentions' });
    await waitFor(() => lists().at(-1)?.type === 'mention', 'a request with type=mention');
    await article(page, 'Deploy notes commented').waitFor({ state: 'detached' });
    expect(await titles(page)).toEqual(['Deploy mention', 'Ana mentioned you']);

    await page.getByRole('switch', { name: 'Unread only' }).check();
    await waitFor(() => lists().at(-1)?.unread_only === 'true', 'a request with unread_only=true');
    await article(page, 'Deploy mention').waitFor({ state: 'detached' });

    await page.getByRole('switch', { name: 'Unread only' }).uncheck();
    await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'All types' });
    const before = lists().length;
    await page.getByRole('searchbox', { name: 'Search notifications' }).pressSequentially('deploy', { delay: 20 });
    await article(page, 'Ana mentioned you').waitFor({ state: 'detached' });
    const searches = lists()
      .slice(before)
      .filter((query) => query.q !== undefined);
    expect(searches.map((query) => query.q)).toEqual(['deploy']);
    expect(await titles(page)).toEqual(['Deploy mention', 'Deploy notes commented']);
  });

  it('loads the next page by cursor when scrolled to the end, and with "Load more"', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(120) });
    await openPanel(page);
    const count = () => page.getByRole('feed').getByRole('article').count();
    expect(await count()).toBe(50);
    expect(await page.getByRole('feed').getAttribute('aria-label')).toBe('Notifications');

    await inbox(page)
      .locator('.scroller')
      .evaluate((scroller) => scroller.scrollTo({ top: scroller.scrollHeight }));
    await waitFor(() => backend.requestsTo('GET', '/v1/notifications').some((r) => r.query.get('cursor') === '71'), 'a request for page 2');
    await article(page, 'Notification 21').waitFor({ state: 'attached' });

    await page.getByRole('button', { name: 'Load more' }).click();
    await article(page, 'Notification 1').waitFor({ state: 'attached' });
    expect(await count()).toBe(120);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });
});
