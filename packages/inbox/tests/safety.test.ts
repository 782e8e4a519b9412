import type { WireNotification } from '@tidings/client';
import { describe, expect, it } from 'vitest';
import { inbox, openPanel, waitFor } from './harness.ts';
import { useHarness } from './use-harness.ts';

const harness = useHarness();

const markup = '<img src=x onerror=alert(1)>';

describe('text, links and navigation', () => {
  it('renders titles and bodies as text: markup shows as written and never runs', async () => {
    const { page, backend, dialogs, pageErrors } = await harness.open({
      prepare: (b) => b.seed({ title: markup, body: '<script>alert(2)</script><b>bold</b>', icon: 'javascript:alert(3)' }),
    });
    await openPanel(page);
    const stored = page.getByRole('article', { name: markup, exact: true });
    await stored.waitFor();
    expect(await stored.getByText('<script>alert(2)</script><b>bold</b>').count()).toBe(1);

    backend.publish({ title: markup, body: '<svg onload=alert(4)>', priority: 'critical' });
    await page.getByRole('article', { name: markup, exact: true }).nth(1).waitFor();
    const injected = await inbox(page).evaluate(
      (host) => host.shadowRoot!.querySelectorAll('img[src="x"], script, b, svg[onload], img[src^="javascript"]').length,
    );
    expect(injected).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('dispatches a cancelable, composed tidings:navigate; a cancelled one does not navigate', async () => {
    let seeded: WireNotification | undefined;
    const { page } = await harness.open({ prepare: (b) => (seeded = b.seed({ title: 'Open the project', action_url: '/projects/42' })) });
    await inbox(page).evaluate((host) => {
      const seen: unknown[] = [];
      Object.assign(host.ownerDocument.defaultView as object, { navigations: seen });
      interface Navigate {
        detail: { url: string; notification: { id: string } };
        bubbles: boolean;
        composed: boolean;
        cancelable: boolean;
        preventDefault(): void;
      }
      host.ownerDocument.addEventListener('tidings:navigate', (event: unknown) => {
        const { detail, bubbles, composed, cancelable } = event as Navigate;
        seen.push({ url: detail.url, id: detail.notification.id, bubbles, composed, cancelable });
        (event as Navigate).preventDefault();
      });
    });
    await openPanel(page);
    await page.getByRole('article', { name: 'Open the project' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await inbox(page).evaluate((host) => (host.ownerDocument.defaultView as unknown as { navigations: unknown[] }).navigations)).toEqual([
      { url: '/projects/42', id: seeded!.id, bubbles: true, composed: true, cancelable: true },
    ]);
    expect(new URL(page.url()).pathname).toBe('/');
    await waitFor(() => seeded!.is_read, 'the opened notification to be read');
  });

  it('follows an http(s) or relative action_url when nobody cancels', async () => {
    const { page } = await harness.open({ prepare: (b) => b.seed({ title: 'Go', action_url: '/projects/7?tab=files' }) });
    await openPanel(page);
    await Promise.all([page.waitForURL('**/projects/7?tab=files'), page.getByRole('link', { name: 'Go' }).click()]);
  });

  it('never follows javascript:, data: or other schemes, and offers no link for them', async () => {
    const unsafe = ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)'];
    let seeded: WireNotification[] = [];
    const { page, dialogs } = await harness.open({ prepare: (b) => (seeded = unsafe.map((url, i) => b.seed({ title: `Unsafe ${i}`, action_url: url }))) });
    await inbox(page).evaluate((host) =>
      host.ownerDocument.addEventListener('tidings:navigate', () => Object.assign(host.ownerDocument.defaultView as object, { navigated: true })),
    );
    await openPanel(page);
    expect(await page.getByRole('feed').getByRole('link').count()).toBe(0);
    for (let i = 0; i < unsafe.length; i++) await page.getByRole('article', { name: `Unsafe ${i}` }).click();
    await waitFor(() => seeded.every((n) => n.is_read), 'every clicked one to be read');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await inbox(page).evaluate((host) => 'navigated' in (host.ownerDocument.defaultView as object))).toBe(false);
    expect(dialogs).toEqual([]);
  });

  it('toasts high and critical arrivals while the panel is closed: critical as an alert that stays, high as a status', async () => {
    const { page, backend } = await harness.open();
    backend.publish({ title: 'Routine', priority: 'normal' });
    backend.publish({ title: 'Deploy failed', priority: 'high' });
    backend.publish({ title: 'Account locked', priority: 'critical' });
    const critical = page.getByRole('alert').filter({ hasText: 'Account locked' });
    await critical.waitFor();
    await page.getByRole('status').filter({ hasText: 'Deploy failed' }).waitFor();
    expect(await inbox(page).locator('[part="toast"]').count()).toBe(2);
    await critical.getByRole('button', { name: 'Dismiss' }).click();
    await critical.waitFor({ state: 'detached' });
    await openPanel(page);
    expect(await inbox(page).locator('[part="toast"]').count()).toBe(0);
  });
});
