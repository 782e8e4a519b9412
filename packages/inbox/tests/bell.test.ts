import { describe, expect, it } from 'vitest';
import { inbox, waitFor } from './harness.ts';
import { useHarness } from './use-harness.ts';

const harness = useHarness();

describe('the bell', () => {
  it('says the unread count in its name and on the badge, from the server', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(3) });
    const bell = page.getByRole('button', { name: 'Notifications, 3 unread', exact: true });
    await bell.waitFor();
    expect(await inbox(page).locator('[part="badge"]').textContent()).toBe('3');
    backend.publish({ title: 'One more' });
    await page.getByRole('button', { name: 'Notifications, 4 unread', exact: true }).waitFor();
  });

  it('shows 99+ beyond 99 and no badge at 0', async () => {
    const { page, backend } = await harness.open({ prepare: (b) => b.seedMany(120) });
    await page.getByRole('button', { name: 'Notifications, 120 unread', exact: true }).waitFor();
    expect(await page.locator('[part="badge"]').textContent()).toBe('99+');
    backend.changeElsewhere({ allRead: true });
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    expect(await page.locator('[part="badge"]').count()).toBe(0);
    await waitFor(() => backend.unreadCount === 0, 'the count to reach 0');
  });
});
