/**
 * Writes the inbox's screenshots for the docs (docs/images/inbox-*.png) against the fake
 * backend with realistic sample data: `pnpm exec tsx --conditions=@tidings/source packages/inbox/scripts/screenshots.ts`.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from '@tidings/test-support/browser';
import { FakeBackend, type NotificationSeed, type PageOptions } from '../tests/fake-backend.ts';
import { buildBundle, inbox } from '../tests/harness.ts';

const outDir = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Oldest first, as they would have arrived. */
const english: NotificationSeed[] = [
  {
    type: 'digest',
    title: 'Your weekly summary is ready',
    body: '12 tasks closed, 3 pull requests merged, 2 incidents resolved.',
    is_read: true,
    created_at: minutesAgo(60 * 24 * 9),
  },
  {
    type: 'billing',
    title: 'Invoice INV-2024-0113 is ready',
    body: 'Your November invoice of €1,240.00 is available to download.',
    icon: '/avatars/B-152.svg',
    action_url: '/billing/invoices/0113',
    is_read: true,
    created_at: minutesAgo(60 * 26),
  },
  {
    type: 'comment.created',
    title: 'Nikos Georgiou commented on “Onboarding flow”',
    body: 'Looks good to me, shipping it behind the feature flag tomorrow.',
    icon: '/avatars/NG-28.svg',
    action_url: '/projects/onboarding#comment-88',
    is_read: true,
    created_at: minutesAgo(60 * 3),
  },
  {
    type: 'security.alert',
    title: 'New sign-in from an unrecognised device',
    body: 'Firefox on Windows, Athens, Greece. If this wasn’t you, reset your password now.',
    priority: 'critical',
    action_url: '/settings/security',
    created_at: minutesAgo(52),
  },
  {
    type: 'deploy',
    title: 'Deploy to production failed',
    body: 'Build #4821 on main failed at the “integration tests” step.',
    priority: 'high',
    action_url: '/deploys/4821',
    created_at: minutesAgo(14),
  },
  {
    type: 'mention',
    title: 'Maria Papadopoulou mentioned you in “Q3 roadmap”',
    body: 'Can you take a look at the launch checklist before Friday?',
    icon: '/avatars/MP-262.svg',
    action_url: '/docs/q3-roadmap',
    created_at: minutesAgo(2),
  },
];

const greek: NotificationSeed[] = [
  {
    type: 'digest',
    title: 'Η εβδομαδιαία σύνοψή σας είναι έτοιμη',
    body: '12 εργασίες ολοκληρώθηκαν, 3 αιτήματα συγχωνεύτηκαν.',
    is_read: true,
    created_at: minutesAgo(60 * 24 * 9),
  },
  {
    type: 'billing',
    title: 'Το τιμολόγιο INV-2024-0113 είναι έτοιμο',
    body: 'Το τιμολόγιο Νοεμβρίου ύψους 1.240,00 € είναι διαθέσιμο.',
    icon: '/avatars/B-152.svg',
    action_url: '/billing/invoices/0113',
    is_read: true,
    created_at: minutesAgo(60 * 26),
  },
  {
    type: 'comment.created',
    title: 'Ο Νίκος Γεωργίου σχολίασε στο «Ροή εγγραφής»',
    body: 'Μου φαίνεται καλό, το βγάζουμε αύριο πίσω από σημαία.',
    icon: '/avatars/NG-28.svg',
    action_url: '/projects/onboarding',
    is_read: true,
    created_at: minutesAgo(60 * 3),
  },
  {
    type: 'security.alert',
    title: 'Νέα σύνδεση από άγνωστη συσκευή',
    body: 'Firefox σε Windows, Αθήνα. Αν δεν ήσασταν εσείς, αλλάξτε τον κωδικό σας.',
    priority: 'critical',
    action_url: '/settings/security',
    created_at: minutesAgo(52),
  },
  {
    type: 'deploy',
    title: 'Η ανάπτυξη στην παραγωγή απέτυχε',
    body: 'Το build #4821 στο main απέτυχε στο βήμα «integration tests».',
    priority: 'high',
    action_url: '/deploys/4821',
    created_at: minutesAgo(14),
  },
  {
    type: 'mention',
    title: 'Η Μαρία Παπαδοπούλου σας ανέφερε στο «Πλάνο Q3»',
    body: 'Μπορείς να δεις τη λίστα ελέγχου πριν την Παρασκευή;',
    icon: '/avatars/MP-262.svg',
    action_url: '/docs/q3-roadmap',
    created_at: minutesAgo(2),
  },
];

function types(locale: 'en' | 'el'): FakeBackend['types'] {
  const el = locale === 'el';
  return [
    { key: 'comment.created', description: el ? 'Σχόλια' : 'Comments', default_in_app: true, default_email: false, critical: false },
    { key: 'mention', description: el ? 'Αναφορές' : 'Mentions', default_in_app: true, default_email: true, critical: false },
    { key: 'deploy', description: el ? 'Αναπτύξεις' : 'Deployments', default_in_app: true, default_email: false, critical: false },
    { key: 'billing', description: el ? 'Χρεώσεις' : 'Billing', default_in_app: true, default_email: true, critical: false },
    { key: 'digest', description: el ? 'Συνόψεις' : 'Summaries', default_in_app: false, default_email: true, critical: false },
    { key: 'security.alert', description: el ? 'Ειδοποιήσεις ασφαλείας' : 'Security alerts', default_in_app: true, default_email: true, critical: true },
  ];
}

interface Shot {
  file: string;
  page?: PageOptions;
  context?: BrowserContextOptions;
  data?: NotificationSeed[];
  /** What to do before the picture; answers the area to capture (the whole viewport when undefined). */
  act(page: Page): Promise<Clip | undefined>;
}

interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

const desktop: BrowserContextOptions = { viewport: { width: 1100, height: 760 }, deviceScaleFactor: 2 };

async function openPanel(page: Page, name: RegExp = /^Notifications/): Promise<void> {
  await page.getByRole('button', { name }).click();
  await page.getByRole('feed').waitFor();
  await unfocus(page);
}

/** Parks the pointer and blurs the focused control, so no hover or focus ring shows in the picture. */
async function unfocus(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await inbox(page).evaluate((host) => (host.shadowRoot?.activeElement as unknown as { blur?(): void } | null)?.blur?.());
}

/** The panel and some of the page around it. */
async function aroundPanel(page: Page): Promise<Clip> {
  const box = await inbox(page).locator('dialog').boundingBox();
  if (!box) throw new Error('the panel is not open');
  const margin = 24;
  const x = Math.max(0, box.x - 220);
  return { x, y: 0, width: box.x + box.width + margin - x, height: box.y + box.height + margin };
}

/** Opens the panel (its bell named `bell`) and frames it. */
function panelShot(bell?: RegExp): Shot['act'] {
  return async (page) => {
    await openPanel(page, bell);
    return aroundPanel(page);
  };
}

const shots: Shot[] = [
  {
    file: 'inbox-bell.png',
    context: desktop,
    act: async (page) => {
      await page.getByRole('button', { name: 'Notifications, 3 unread' }).waitFor();
      const box = await page.locator('header').boundingBox();
      if (!box) throw new Error('no header');
      return { x: box.width - 420, y: 0, width: 420, height: box.height + 16 };
    },
  },
  { file: 'inbox-panel-light.png', context: desktop, act: panelShot() },
  { file: 'inbox-panel-dark.png', page: { theme: 'dark' }, context: { ...desktop, colorScheme: 'dark' }, act: panelShot() },
  { file: 'inbox-panel-el.png', page: { locale: 'el' }, context: { ...desktop, locale: 'el-GR' }, data: greek, act: panelShot(/^Ειδοποιήσεις/) },
  {
    file: 'inbox-mobile.png',
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    act: async (page) => {
      await openPanel(page);
      return undefined;
    },
  },
  {
    file: 'inbox-preferences.png',
    context: { ...desktop, viewport: { width: 1100, height: 840 } },
    act: async (page) => {
      // Tall enough to show the whole view, browser notifications included.
      await page.addStyleTag({ content: 'tidings-inbox { --tidings-panel-height: 736px; }' });
      await openPanel(page);
      await page.getByRole('button', { name: 'Notification preferences' }).click();
      await page.getByRole('switch', { name: 'Email notifications' }).waitFor();
      await unfocus(page);
      return aroundPanel(page);
    },
  },
];

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const bundle = await buildBundle();
  const browser = await launchBrowser();
  try {
    for (const shot of shots) {
      const backend = await FakeBackend.start({ assetsDir: bundle.dir });
      const locale = shot.page?.locale === 'el' ? 'el' : 'en';
      backend.types = types(locale);
      backend.preferences = {
        in_app_enabled: true,
        email_enabled: true,
        digest: 'daily',
        types: { 'comment.created': { email: true }, digest: { in_app: false } },
      };
      for (const seed of shot.data ?? english) backend.seed(seed);
      const context = await browser.context({ reducedMotion: 'reduce', ...shot.context });
      try {
        const page = await context.newPage();
        await page.goto(backend.pageUrl(shot.page));
        await page.getByRole('button', { name: /^(Notifications|Ειδοποιήσεις), 3/ }).waitFor();
        const clip = await shot.act(page);
        // Icons are lazy images: wait until every one that shows has loaded (hidden ones never load).
        await page.waitForFunction(
          `[...document.querySelector('tidings-inbox').shadowRoot.querySelectorAll('img')].every((image) => image.complete || !image.checkVisibility())`,
        );
        await page.screenshot({ path: `${outDir}${shot.file}`, ...(clip ? { clip } : {}) });
        console.log(`wrote docs/images/${shot.file}`);
      } finally {
        await context.close();
        await backend.stop();
      }
    }
  } finally {
    await browser.close();
    await bundle.remove();
  }
}

await main();
