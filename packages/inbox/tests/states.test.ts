import { describe, expect, it } from 'vitest';
import { openPanel, waitFor } from './harness.ts';
import { useHarness } from './use-harness.ts';

const harness = useHarness();

describe('states', () => {
  it('shows a labelled loading state until the first page arrives', async () => {
    const { page, backend } = await harness.open({
      prepare: (b) => {
        b.seedMany(2);
        b.hold(/^\/v1\/notifications$/);
      },
    });
    await openPanel(page);
    await page.getByRole('status').filter({ hasText: 'Loading notifications…' }).waitFor({ state: 'attached' });
    expect(await page.getByRole('feed').count()).toBe(0);
    backend.release();
    await page.getByRole('article', { name: 'Notification 2' }).waitFor();
  });

  it('says when the inbox is empty, and differently when filters hide everything', async () => {
    const { page } = await harness.open({ prepare: (b) => b.seed({ title: 'Already read', is_read: true }) });
    await openPanel(page);
    await page.getByRole('article', { name: 'Already read' }).waitFor();
    await page.getByRole('switch', { name: 'Unread only' }).check();
    await page.getByText('No notifications match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('article', { name: 'Already read' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Unread only' }).isChecked()).toBe(false);

    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Clear read' }).click();
    await page.getByRole('heading', { name: 'You’re all caught up' }).waitFor();
    await page.getByText('New notifications will show up here.').waitFor();
  });

  it('shows an error with a retry button that loads again', async () => {
    const { page, backend } = await harness.open({
      prepare: (b) => {
        b.seedMany(1);
        // The first page is read at start and again once the connection opens: both fail.
        b.failures.push({ method: 'GET', path: /^\/v1\/notifications$/, status: 500, times: 2 });
      },
    });
    await openPanel(page);
    await page.getByRole('alert').filter({ hasText: 'Could not load your notifications.' }).waitFor();
    await waitFor(() => backend.requestsTo('GET', '/v1/notifications').length === 2, 'both first reads');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('article', { name: 'Notification 1' }).waitFor();
    expect(backend.requestsTo('GET', '/v1/notifications')).toHaveLength(3);
  });

  it('rolls back a change the API refuses, and says so', async () => {
    const { page, backend } = await harness.open({
      prepare: (b) => {
        b.seedMany(1);
        b.failures.push({ method: 'DELETE', path: /^\/v1\/notifications\//, status: 500 });
      },
    });
    await openPanel(page);
    await page.getByRole('article', { name: 'Notification 1' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alert').filter({ hasText: 'That didn’t work. Please try again.' }).waitFor();
    await page.getByRole('article', { name: 'Notification 1' }).waitFor();
    expect(backend.requestsTo('DELETE', /^\/v1\/notifications\//)).toHaveLength(1);
  });

  it('says so when the browser goes offline, and when the connection is lost', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(1) });
    await openPanel(page);
    const offline = page.getByRole('status').filter({ hasText: 'You’re offline.' });
    expect(await offline.count()).toBe(0);

    await page.context().setOffline(true);
    await offline.waitFor();
    await page.context().setOffline(false);
    await offline.waitFor({ state: 'detached' });

    // The gateway stops accepting WebSockets: the client keeps reconnecting.
    backend.gateway.options.refuseWebSocket = true;
    backend.gateway.closeAll(1011, 'test');
    await offline.waitFor();
    backend.gateway.options.refuseWebSocket = false;
    await offline.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('says when the connection stopped for good (the token is refused)', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(1) });
    await openPanel(page);
    backend.gateway.options.acceptToken = () => false;
    backend.gateway.closeAll(1008, 'invalid token');
    await page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
  });
});
