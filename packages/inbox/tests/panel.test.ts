import type { WireNotification } from '@tidings/client';
import { describe, expect, it } from 'vitest';
import { focused, focusInPanel, inbox, openPanel, waitFor } from './harness.ts';
import { useHarness } from './use-harness.ts';

const harness = useHarness();

describe('the panel', () => {
  it('is a labelled modal dialog: focus moves in, Escape closes, focus returns to the bell', async () => {
    const { page } = await harness.open({ prepare: (b) => b.seedMany(2) });
    await openPanel(page);
    const dialog = page.getByRole('dialog', { name: 'Notifications' });
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    expect(await focused(page)).toMatchObject({ tag: 'article' });
    expect(await page.getByRole('button', { name: /^Notifications/ }).getAttribute('aria-expanded')).toBe('true');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Notifications, 2 unread' });
  });

  it('keeps Tab inside while open, both ways', async () => {
    const { page } = await harness.open({ prepare: (b) => b.seedMany(3) });
    await openPanel(page);
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInPanel(page)).toBe(true);
    }
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInPanel(page)).toBe(true);
    }
  });

  it('closes on a click outside, and on its close button', async () => {
    const { page } = await harness.open({ prepare: (b) => b.seedMany(1) });
    const dialog = page.getByRole('dialog', { name: 'Notifications' });
    await openPanel(page);
    await page.mouse.click(40, 600);
    await dialog.waitFor({ state: 'hidden' });
    await openPanel(page);
    await page.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toMatchObject({ name: 'Notifications, 1 unread' });
  });

  it('works by keyboard alone: Tab to the bell, Enter, arrows between items, Tab to an action, Escape', async () => {
    let seeded: WireNotification[] = [];
    const { page } = await harness.open({ prepare: (b) => (seeded = b.seedMany(3)) });
    for (let i = 0; i < 10 && (await focused(page))?.name !== 'Notifications, 3 unread'; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'Notifications, 3 unread' });
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Notifications' }).waitFor();

    // Newest first: "Notification 3" has focus, the arrows walk the list.
    expect(await focused(page)).toMatchObject({ tag: 'article', text: expect.stringContaining('Notification 3') });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ tag: 'article', text: expect.stringContaining('Notification 1') });
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toMatchObject({ tag: 'article', text: expect.stringContaining('Notification 2') });

    // The active item's actions come next in Tab order; the others' are skipped.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Mark as read' });
    await page.keyboard.press('Enter');
    await waitFor(() => seeded[1]?.is_read === true, 'notification 2 to be read');
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Mark as unread' });

    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await focused(page)).toMatchObject({ name: 'Notifications, 2 unread' });
  });

  it('fills a phone screen (390×844)', async () => {
    const { page } = await harness.open({ context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, prepare: (b) => b.seedMany(2) });
    await page.getByRole('button', { name: /^Notifications/ }).tap();
    const dialog = page.getByRole('dialog', { name: 'Notifications' });
    await dialog.waitFor();
    expect(await dialog.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
  });

  it('is a popover anchored to the bell on a wide screen, mirrored in a right-to-left page', async () => {
    const boxes = async (dir: 'ltr' | 'rtl') => {
      const { page } = await harness.open({ page: { dir }, prepare: (b) => b.seedMany(1) });
      await openPanel(page);
      const bell = (await page.getByRole('button', { name: /^Notifications/ }).boundingBox())!;
      const panel = (await page.getByRole('dialog').boundingBox())!;
      const title = (await page.getByRole('heading', { name: 'Notifications' }).boundingBox())!;
      const close = (await page.getByRole('button', { name: 'Close' }).boundingBox())!;
      const badge = (await inbox(page).locator('[part="badge"]').boundingBox())!;
      await harness.cleanup();
      return { bell, panel, title, close, badge };
    };
    const ltr = await boxes('ltr');
    expect(ltr.panel.y).toBeGreaterThan(ltr.bell.y + ltr.bell.height - 1);
    expect(ltr.panel.x + ltr.panel.width).toBeCloseTo(ltr.bell.x + ltr.bell.width, 0);
    expect(ltr.close.x).toBeGreaterThan(ltr.title.x);
    expect(ltr.badge.x + ltr.badge.width / 2).toBeGreaterThan(ltr.bell.x + ltr.bell.width / 2);

    const rtl = await boxes('rtl');
    expect(rtl.panel.x).toBeCloseTo(rtl.bell.x, 0);
    expect(rtl.close.x).toBeLessThan(rtl.title.x);
    expect(rtl.badge.x + rtl.badge.width / 2).toBeLessThan(rtl.bell.x + rtl.bell.width / 2);
  });
});
