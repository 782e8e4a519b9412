import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inbox, openPanel } from './harness.ts';
import { useHarness } from './use-harness.ts';
import type { FakeBackend } from './fake-backend.ts';

const harness = useHarness();
let axeSource: string;
beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** A bit of everything the list can show: unread and read, priorities, icons, links. */
function varied(backend: FakeBackend): void {
  backend.seed({ title: 'Invoice ready', body: 'Your invoice is ready.', is_read: true, action_url: '/billing', created_at: minutesAgo(60 * 30) });
  backend.seed({ title: 'Sign-in from a new device', body: 'Firefox on Windows.', priority: 'critical', created_at: minutesAgo(50) });
  backend.seed({ title: 'Deploy failed', body: 'Build #4821 failed.', priority: 'high', action_url: '/deploys/4821', created_at: minutesAgo(12) });
  backend.seed({ title: 'Maria mentioned you', body: 'Can you take a look?', icon: '/avatars/MP-262.svg', created_at: minutesAgo(1) });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}

/** Serious and critical axe violations inside the element. */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await inbox(page).evaluate(async (host) => {
    const { axe } = host.ownerDocument.defaultView as unknown as { axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> } };
    const result = await axe.run(host, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

describe('accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe violation with the panel open (${theme})`, async () => {
      const { page } = await harness.open({ page: { theme }, prepare: varied });
      await openPanel(page);
      await page.getByRole('article', { name: 'Maria mentioned you' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'More actions' }).click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Notification preferences' }).click();
      await page.getByRole('checkbox', { name: 'Security alerts Critical Email' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('has no serious or critical axe violation on the bell and the toasts', async () => {
    const { page, backend } = await harness.open({ page: { theme: 'dark' }, prepare: varied });
    backend.publish({ title: 'Account locked', priority: 'critical' });
    backend.publish({ title: 'Deploy failed again', priority: 'high' });
    await page.getByRole('alert').filter({ hasText: 'Account locked' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('Greek', () => {
  it('names the bell with the right plural, and the panel, times and announcements in Greek', async () => {
    const { page, backend } = await harness.open({ page: { locale: 'el' }, prepare: (b) => b.seed({ title: 'Νέο σχόλιο', created_at: minutesAgo(5) }) });
    await page.getByRole('button', { name: 'Ειδοποιήσεις, 1 μη αναγνωσμένη', exact: true }).waitFor();
    backend.publish({ title: 'Δεύτερο' });
    backend.publish({ title: 'Τρίτο' });
    await page.getByRole('button', { name: 'Ειδοποιήσεις, 3 μη αναγνωσμένες', exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: '2 νέες ειδοποιήσεις' }).waitFor({ state: 'attached' });

    await openPanel(page, 'Ειδοποιήσεις');
    await page.getByRole('searchbox', { name: 'Αναζήτηση ειδοποιήσεων' }).waitFor();
    await page.getByRole('switch', { name: 'Μόνο μη αναγνωσμένες' }).waitFor();
    const older = page.getByRole('article', { name: 'Νέο σχόλιο' });
    await older.getByText('πριν από 5 λεπτά').waitFor();
    await older.getByRole('button', { name: 'Σήμανση ως αναγνωσμένης' }).click();
    await page.getByRole('button', { name: 'Ειδοποιήσεις, 2 μη αναγνωσμένες', exact: true }).waitFor({ state: 'attached' });
    expect(await page.getByRole('dialog').getAttribute('lang')).toBe('el');
  });

  it('follows the page language when no locale is set, and falls back to English', async () => {
    const { page } = await harness.open({ prepare: (b) => b.seedMany(1) });
    await inbox(page).evaluate((host) => {
      host.ownerDocument.documentElement.lang = 'el-GR';
      host.setAttribute('locale', 'fr');
    });
    // `fr` is not bundled: the page's language is next.
    await page.getByRole('button', { name: 'Ειδοποιήσεις, 1 μη αναγνωσμένη', exact: true }).waitFor();
  });
});
