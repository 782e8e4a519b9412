import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasFocus, inbox, openPanel, waitFor } from './harness.ts';
import { useHarness } from './use-harness.ts';

const harness = useHarness();

/** What the browser-notification test puts on the page's window. */
interface TestWindow {
  notificationLog: { requests: number; shown: Array<{ title: string; tag?: string }> };
  setVisibility(value: string): void;
}

async function openPreferences(page: Page): Promise<void> {
  await openPanel(page);
  await page.getByRole('button', { name: 'Notification preferences' }).click();
  await page.getByRole('dialog', { name: 'Notification preferences' }).waitFor();
  await page.getByRole('switch', { name: 'In-app notifications' }).waitFor();
}

describe('preferences', () => {
  it('saves each change with a PUT of just that change, and shows it saved', async () => {
    const { page, backend } = await harness.open();
    await openPreferences(page);
    const puts = () => backend.requestsTo('PUT', '/v1/preferences').map((r) => r.body);

    await page.getByRole('switch', { name: 'Email notifications' }).uncheck();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(puts()).toEqual([{ email_enabled: false }]);

    await page.getByRole('combobox', { name: 'Email digest' }).selectOption('weekly');
    await waitFor(() => puts().length === 2, 'the digest PUT');
    expect(puts()[1]).toEqual({ digest: 'weekly' });

    // "Comments": in-app on and email off by default; the grid names each box by row and column.
    const commentsEmail = page.getByRole('checkbox', { name: 'Comments Email' });
    expect(await commentsEmail.isChecked()).toBe(false);
    await commentsEmail.check();
    await waitFor(() => puts().length === 3, 'the per-type PUT');
    expect(puts()[2]).toEqual({ types: { 'comment.created': { email: true } } });
    await page.getByRole('checkbox', { name: 'Comments In-app' }).uncheck();
    await waitFor(() => puts().length === 4, 'the second per-type PUT');
    expect(puts()[3]).toEqual({ types: { 'comment.created': { email: true, in_app: false } } });
    expect(backend.preferences).toEqual({
      in_app_enabled: true,
      email_enabled: false,
      digest: 'weekly',
      types: { 'comment.created': { email: true, in_app: false } },
    });
  });

  it('shows critical types locked, with the reason', async () => {
    const { page } = await harness.open();
    await openPreferences(page);
    for (const channel of ['In-app', 'Email']) {
      const box = page.getByRole('checkbox', { name: `Security alerts Critical ${channel}` });
      expect(await box.isDisabled()).toBe(true);
      expect(await box.isChecked()).toBe(true);
      expect(await box.getAttribute('aria-describedby')).toBe('prefs-locked');
    }
    await page.getByText('Critical notifications are always delivered.').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Mentions Email' }).isDisabled()).toBe(false);
  });

  it('shows a refused save as failed and puts the switch back', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.failures.push({ method: 'PUT', path: /^\/v1\/preferences$/, status: 500 }) });
    await openPreferences(page);
    const inApp = page.getByRole('switch', { name: 'In-app notifications' });
    // click, not uncheck: the refusal may put the switch back before a state check could see it off.
    await inApp.click();
    await page.getByRole('status').filter({ hasText: 'Could not save. Please try again.' }).waitFor();
    expect(await inApp.isChecked()).toBe(true);
    expect(backend.preferences.in_app_enabled).toBe(true);
  });

  it('goes back to the list, focusing the heading of each view', async () => {
    const { page } = await harness.open({ prepare: (b) => b.seedMany(1) });
    await openPreferences(page);
    await page.getByRole('button', { name: 'Back to notifications' }).click();
    await page.getByRole('dialog', { name: 'Notifications' }).waitFor();
    expect(await hasFocus(page.getByRole('heading', { name: 'Notifications' }))).toBe(true);
  });

  it('asks for browser notification permission only on the click, then notifies only while the page is hidden', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(1) });
    // A recording stand-in for the Notification API and for the page's visibility.
    await inbox(page).evaluate((host) => {
      const log = { requests: 0, shown: [] as Array<{ title: string; tag: string | undefined }> };
      let permission: 'default' | 'granted' = 'default';
      class FakeNotification {
        static get permission() {
          return permission;
        }
        static async requestPermission() {
          log.requests++;
          permission = 'granted';
          return permission;
        }
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { tag?: string }) {
          log.shown.push({ title, tag: options?.tag });
        }
        close() {}
      }
      let visibility = 'visible';
      Object.defineProperty(host.ownerDocument, 'visibilityState', { configurable: true, get: () => visibility });
      Object.assign(host.ownerDocument.defaultView as object, {
        Notification: FakeNotification,
        notificationLog: log,
        setVisibility: (value: string) => (visibility = value),
      });
    });
    const log = () => inbox(page).evaluate((host) => (host.ownerDocument.defaultView as unknown as TestWindow).notificationLog);

    await openPreferences(page);
    expect((await log()).requests).toBe(0);
    await page.getByRole('button', { name: 'Turn on browser notifications' }).click();
    await page.getByRole('button', { name: 'Turn off' }).waitFor();
    expect((await log()).requests).toBe(1);

    backend.publish({ title: 'Seen in the page' });
    await page.getByRole('status').filter({ hasText: 'New notification: Seen in the page' }).waitFor({ state: 'attached' });
    expect((await log()).shown).toEqual([]);

    await inbox(page).evaluate((host) => (host.ownerDocument.defaultView as unknown as TestWindow).setVisibility('hidden'));
    const hidden = backend.publish({ title: 'While away' });
    await page.waitForFunction('window.notificationLog.shown.length === 1');
    expect((await log()).shown).toEqual([{ title: 'While away', tag: hidden.id }]);
  });
});
