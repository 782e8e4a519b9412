import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { FakeGateway, waitFor } from '../../client/src/testing/fake-gateway.ts';
import type { MountOptions, TestAppApi } from './app/api.ts';
import { launchBrowser, serveTestApp, type LaunchedBrowser, type Page, type TestAppServer } from './support/browser-app.ts';
import { FakeApi } from './support/fake-api.ts';

let browser: LaunchedBrowser;
let app: TestAppServer;
let gateway: FakeGateway;
let api: FakeApi;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), serveTestApp()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

beforeEach(async () => {
  gateway = await FakeGateway.start();
  api = await FakeApi.start(gateway);
  const context = await browser.context();
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  const url = new URL(app.url);
  url.searchParams.set('api', api.url);
  url.searchParams.set('gateway', gateway.url);
  await page.goto(url.toString());
});

afterEach(async () => {
  await page?.context().close();
  await api?.stop();
  await gateway?.stop();
  expect(pageErrors).toEqual([]);
});

/** Calls a method of the test app's `globalThis.testApp` in the page. */
function call<K extends keyof TestAppApi>(method: K, ...args: Parameters<TestAppApi[K]>): Promise<ReturnType<TestAppApi[K]>> {
  return page.evaluate(
    ([name, values]) => {
      const target = (globalThis as unknown as { testApp: Record<string, (...a: unknown[]) => unknown> }).testApp;
      return target[name as string]!(...(values as unknown[]));
    },
    [method, args] as const,
  ) as Promise<ReturnType<TestAppApi[K]>>;
}

const openSockets = () => gateway.ws.filter((record) => record.socket.readyState === record.socket.OPEN);
const item = (name: string) => page.getByRole('listitem', { name, exact: true });
const button = (name: string) => page.getByRole('button', { name, exact: true });

/** Mounts a view and waits until its client is open and its first page is on screen. */
async function mount(options: MountOptions): Promise<void> {
  await call('mount', options);
  await page.getByLabel('Connection').getByText('open', { exact: true }).waitFor();
  await page.locator('ul[aria-label="Notifications"][aria-busy="false"]').waitFor();
}

describe('useNotifications and useUnreadCount', () => {
  test('the first page comes over REST; a live notification goes on top and the count goes up', async () => {
    api.add({ live: false });
    api.add({ live: false });
    await mount({ view: 'inbox' });
    await button('Notifications, 2 unread').waitFor();
    expect(await page.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('notification 2'), expect.stringContaining('notification 1')]);
    expect(api.requests.find((r) => r.path === '/v1/notifications/unread-count')?.authorization).toBe('Bearer token-alice');

    api.add();
    await item('notification 3, unread').waitFor();
    await button('Notifications, 3 unread').waitFor();
    expect((await page.getByRole('listitem').allTextContents())[0]).toContain('notification 3');
    await page.waitForFunction("document.title === '(3) Test app'");
  });

  test('markRead goes over the WebSocket, and the count follows the server’s event', async () => {
    api.add({ live: false });
    const second = api.add({ live: false });
    await mount({ view: 'inbox' });
    await button('Notifications, 2 unread').waitFor();

    await button('Mark notification 2 read').click();
    await item('notification 2, read').waitFor();
    await button('Notifications, 1 unread').waitFor();
    expect(gateway.received.filter((frame) => frame.type === 'mark_read')).toEqual([{ type: 'mark_read', ids: [second.id] }]);
    expect(api.requests.some((r) => r.path.endsWith('/read'))).toBe(false);

    // The count is the server's, whatever the list holds.
    gateway.broadcast({ type: 'unread_count', count: 41 });
    await button('Notifications, 41 unread').waitFor();
    await page.waitForFunction("document.title === '(41) Test app'");
  });

  test('read, unread, deleted and all_read from another device apply at once', async () => {
    const [first, second, third] = [api.add({ live: false }), api.add({ live: false }), api.add({ live: false })];
    await mount({ view: 'inbox' });
    await item('notification 3, unread').waitFor();

    gateway.broadcast({ type: 'notification_read', ids: [first.id, second.id] });
    await item('notification 1, read').waitFor();
    await item('notification 2, read').waitFor();
    gateway.broadcast({ type: 'notification_unread', ids: [second.id] });
    await item('notification 2, unread').waitFor();
    gateway.broadcast({ type: 'notification_deleted', ids: [third.id] });
    await item('notification 3, unread').waitFor({ state: 'detached' });
    gateway.broadcast({ type: 'all_read' });
    await item('notification 2, read').waitFor();
    expect(await page.getByRole('listitem').count()).toBe(2);
  });

  test('loadMore asks for the next page with the cursor, until there is none', async () => {
    for (let i = 0; i < 5; i++) api.add({ live: false });
    await mount({ view: 'inbox', pageSize: 2 });
    await item('notification 4, unread').waitFor();
    expect(await page.getByRole('listitem').count()).toBe(2);

    await button('Load more').click();
    await item('notification 2, unread').waitFor();
    await button('Load more').click();
    await item('notification 1, unread').waitFor();
    await button('Load more').waitFor({ state: 'detached' });
    expect(await page.getByRole('listitem').count()).toBe(5);
    expect(api.listRequests.map((r) => r.query)).toEqual([{ limit: '2' }, { limit: '2', cursor: '4' }, { limit: '2', cursor: '2' }]);
  });

  test('a filtered list takes only the live notifications that match, and an unread-only list drops what gets read', async () => {
    api.add({ live: false, type: 'security.alert' });
    api.add({ live: false });
    await mount({ view: 'inbox', type: 'comment.created', unreadOnly: true });
    await item('notification 2, unread').waitFor();
    expect(api.listRequests[0]!.query).toEqual({ type: 'comment.created', unread_only: 'true' });

    api.add({ type: 'security.alert' });
    api.add();
    await item('notification 4, unread').waitFor();
    expect(await page.getByRole('listitem').count()).toBe(2);

    await button('Mark notification 4 read').click();
    await item('notification 4, unread').waitFor({ state: 'detached' });
    expect(await page.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('notification 2')]);
  });

  test('remove, markUnread, markAllRead and clearRead reach the server and show in the list', async () => {
    const [, second, third] = [api.add({ live: false }), api.add({ live: false }), api.add({ live: false })];
    await mount({ view: 'inbox' });
    await button('Notifications, 3 unread').waitFor();

    await button('Delete notification 3').click();
    await item('notification 3, unread').waitFor({ state: 'detached' });
    await button('Notifications, 2 unread').waitFor();

    await button('Mark all read').click();
    await item('notification 1, read').waitFor();
    await item('notification 2, read').waitFor();
    await button('Notifications, 0 unread').waitFor();
    expect(gateway.received.filter((frame) => frame.type === 'mark_all_read')).toEqual([{ type: 'mark_all_read' }]);

    await button('Mark notification 2 unread').click();
    await item('notification 2, unread').waitFor();
    await button('Notifications, 1 unread').waitFor();

    await button('Clear read').click();
    await item('notification 1, read').waitFor({ state: 'detached' });
    expect(await page.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('notification 2')]);
    expect(api.requests.filter((r) => r.method !== 'GET').map((r) => [r.method, r.path, r.body])).toEqual([
      ['DELETE', `/v1/notifications/${third.id}`, undefined],
      ['POST', `/v1/notifications/${second.id}/unread`, undefined],
      ['POST', '/v1/notifications/delete', { all_read: true }],
    ]);
  });
});

describe('usePreferences', () => {
  test('loads the document and the types, and update PUTs only the change', async () => {
    await call('mount', { view: 'preferences' });
    const email = page.getByRole('switch', { name: 'Email', exact: true });
    await email.waitFor();
    expect(await email.isChecked()).toBe(false);
    expect(await page.getByRole('switch', { name: 'Email for Security alerts' }).isDisabled()).toBe(true);

    await email.click();
    await page.getByRole('switch', { name: 'Email', exact: true, checked: true }).waitFor();
    await page.getByRole('switch', { name: 'Email for Comments' }).click();
    await page.getByRole('switch', { name: 'Email for Comments', checked: true }).waitFor();

    expect(api.requests.filter((r) => r.method === 'PUT').map((r) => [r.path, r.body])).toEqual([
      ['/v1/preferences', { email_enabled: true }],
      ['/v1/preferences', { types: { 'comment.created': { email: true } } }],
    ]);
    expect(api.preferences).toMatchObject({ email_enabled: true, types: { 'comment.created': { email: true } } });
  });
});

describe('TidingsProvider', () => {
  test('under StrictMode it connects once, and unmounting leaves no connection open', async () => {
    api.add({ live: false });
    await mount({ view: 'inbox', strict: true });
    await item('notification 1, unread').waitFor();
    expect(gateway.ws).toHaveLength(1);
    expect(openSockets()).toHaveLength(1);
    const states = await call('stateChanges');
    expect(states).not.toContain('closed');
    expect(states.at(-1)).toBe('open');

    // Still live after StrictMode's unmount and mount again.
    api.add();
    await item('notification 2, unread').waitFor();
    await button('Notifications, 2 unread').waitFor();

    await call('unmount');
    await waitFor(() => openSockets().length === 0, 'the socket to close');
    expect(await call('clientState')).toBe('closed');
    expect(gateway.ws).toHaveLength(1);
  });
});

describe('TidingsInbox', () => {
  test('renders <tidings-inbox> on the provider’s client: one connection for the element and the hooks', async () => {
    api.add({ live: false });
    await mount({ view: 'element' });
    expect(await call('elementDefined')).toBe(true);
    expect(await call('elementHasProviderClient')).toBe(true);
    await button('Notifications, 1 unread').waitFor();

    api.add();
    await item('notification 2, unread').waitFor();
    await button('Notifications, 2 unread').waitFor();
    expect(gateway.ws).toHaveLength(1);
    expect(openSockets()).toHaveLength(1);

    expect(await call('navigateFromElement', 'https://example.com/x')).toBe(true);
    expect(await call('navigated')).toEqual(['https://example.com/x']);

    await call('unmount');
    await waitFor(() => openSockets().length === 0, 'the socket to close');
  });
});
