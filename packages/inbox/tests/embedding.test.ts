import { describe, expect, it } from 'vitest';
import { inbox, openPanel, waitFor } from './harness.ts';
import { useHarness } from './use-harness.ts';

const harness = useHarness();

describe('embedding', () => {
  it('connects once it has getToken, and closes its own connection when removed from the page', async () => {
    const { page, backend } = await harness.open({ page: { noToken: true }, prepare: (b) => b.seedMany(2) });
    expect(backend.gateway.ws).toHaveLength(0);
    await inbox(page).evaluate((host) => Object.assign(host, { getToken: async () => 'late-token' }));
    await page.getByRole('button', { name: 'Notifications, 2 unread' }).waitFor();
    await waitFor(() => backend.gateway.ws.some((ws) => ws.token === 'late-token' && ws.socket.readyState === 1), 'a connection with the token');

    await inbox(page).evaluate((host) => host.remove());
    await waitFor(() => backend.gateway.ws.every((ws) => ws.socket.readyState === 3), 'the connection to close');
  });

  it('keeps its connection when moved within the page', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(1) });
    await waitFor(() => backend.gateway.ws.length === 1, 'one connection');
    await inbox(page).evaluate((host) => host.ownerDocument.querySelector('main')!.append(host));
    await openPanel(page);
    await page.getByRole('article', { name: 'Notification 1' }).waitFor();
    expect(backend.gateway.ws).toHaveLength(1);
    expect(backend.gateway.ws[0]!.socket.readyState).toBe(1);
  });

  it('uses a client it is given: reads through it, follows its events, and neither connects nor closes it', async () => {
    const { page, backend } = await harness.open({ page: { noToken: true } });
    // A stand-in with the SDK's surface, recording what the element asks of it.
    await inbox(page).evaluate((host) => {
      const listeners = new Map<string, Array<(payload: unknown) => void>>();
      const calls: string[] = [];
      const notification = {
        id: '00000000-0000-4000-8000-000000000042',
        seq: 42,
        type: 'mention',
        title: 'From the app’s client',
        body: '',
        data: {},
        icon: null,
        action_url: null,
        priority: 'normal',
        created_at: new Date().toISOString(),
        is_read: false,
      };
      const client = {
        state: 'open',
        on(event: string, listener: (payload: unknown) => void) {
          listeners.set(event, [...(listeners.get(event) ?? []), listener]);
          return () =>
            listeners.set(
              event,
              (listeners.get(event) ?? []).filter((l) => l !== listener),
            );
        },
        connect: () => calls.push('connect'),
        close: async () => void calls.push('close'),
        inbox: {
          list: async () => (calls.push('list'), { items: [{ ...notification, user_id: 'alice', read_at: null }], next_cursor: null }),
          unreadCount: async () => (calls.push('unreadCount'), 1),
          types: async () => [],
        },
        preferences: {},
      };
      const emit = (event: string, payload: unknown) => (listeners.get(event) ?? []).forEach((listener) => listener(payload));
      Object.assign(host.ownerDocument.defaultView as object, { appClient: { calls, emit } });
      Object.assign(host, { client });
    });
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
    await openPanel(page);
    await page.getByRole('article', { name: 'From the app’s client' }).waitFor();
    await inbox(page).evaluate((host) =>
      (host.ownerDocument.defaultView as unknown as { appClient: { emit(event: string, payload: unknown): void } }).appClient.emit('unread_count', 5),
    );
    await page.getByRole('button', { name: 'Notifications, 5 unread' }).waitFor({ state: 'attached' });

    await inbox(page).evaluate((host) => host.remove());
    const calls = await page.evaluate<string[]>('window.appClient.calls');
    expect([...calls].sort()).toEqual(['list', 'unreadCount']);
    expect(backend.gateway.ws).toHaveLength(0);
  });
});
