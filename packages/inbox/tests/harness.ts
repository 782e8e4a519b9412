import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { build } from 'vite';
import { launchBrowser, type LaunchedBrowser } from '@tidings/test-support/browser';
import { FakeBackend, type PageOptions } from './fake-backend.ts';

export { waitFor } from '../../client/src/testing/fake-gateway.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Builds the bundle with the package's own vite config into a fresh temporary folder. */
export async function buildBundle(options: { minify?: boolean } = {}): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-inbox-'));
  const minify = options.minify ?? true;
  await build({
    configFile: join(packageDir, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: dir, emptyOutDir: true, minify, rolldownOptions: { output: { minify } } },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface InboxPage {
  page: Page;
  backend: FakeBackend;
  /** Messages of `dialog` events (alert, confirm): a test that expects none checks this stays empty. */
  dialogs: string[];
  /** Errors thrown in the page. */
  pageErrors: string[];
}

/**
 * One browser for a test file, and for each test a fresh backend and browser context (its own
 * storage, so no two tests share a leader tab or a stored opt-in).
 */
export class InboxHarness {
  private constructor(
    private readonly browser: LaunchedBrowser,
    private readonly bundle: { dir: string; remove(): Promise<void> },
  ) {}

  private readonly cleanups: Array<() => Promise<void>> = [];

  static async start(): Promise<InboxHarness> {
    const bundle = await buildBundle();
    return new InboxHarness(await launchBrowser(), bundle);
  }

  /**
   * A backend (seeded by `prepare` before the page loads) and a page showing the element,
   * once the bell is there. Cleaned up by {@link cleanup}.
   */
  async open(options: { page?: PageOptions; context?: BrowserContextOptions; prepare?: (backend: FakeBackend) => void } = {}): Promise<InboxPage> {
    const backend = await FakeBackend.start({ assetsDir: this.bundle.dir });
    options.prepare?.(backend);
    const context = await this.browser.context({ viewport: { width: 1280, height: 800 }, ...options.context });
    this.cleanups.push(async () => {
      await context.close();
      await backend.stop();
    });
    // Everything here answers in milliseconds: fail fast and say what was awaited.
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(backend.pageUrl(options.page));
    await page.getByRole('button', { name: /^(Notifications|Ειδοποιήσεις)/ }).waitFor();
    return { page, backend, dialogs, pageErrors };
  }

  /** Closes what the current test opened. */
  async cleanup(): Promise<void> {
    const cleanups = this.cleanups.splice(0);
    for (const cleanup of cleanups.reverse()) await cleanup();
  }

  async stop(): Promise<void> {
    await this.cleanup();
    await this.browser.close();
    await this.bundle.remove();
  }
}

/*
 * Code that runs in the page goes through `locator.evaluate` on the element, which hands over
 * `document` and `window` as its owners; what a test puts on the window it reads through a cast
 * to its own type. The tests then compile with or without the DOM library.
 */

/** The `<tidings-inbox>` on the test page. */
export const inbox = (page: Page) => page.locator('tidings-inbox');

/** The focused element's description, looked up through shadow roots. */
export function focused(page: Page): Promise<{ tag: string; name: string; text: string } | null> {
  return inbox(page).evaluate((host) => {
    let element = host.ownerDocument.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return null;
    return {
      tag: element.tagName.toLowerCase(),
      name: element.getAttribute('aria-label') ?? '',
      text: (element.textContent ?? '').trim().slice(0, 200),
    };
  });
}

/** Clicks the bell and waits for the panel (a dialog named `name`). */
export async function openPanel(page: Page, name = 'Notifications'): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('dialog', { name }).waitFor();
}

/** Whether the focused element is inside the element's panel. */
export function focusInPanel(page: Page): Promise<boolean> {
  return inbox(page).evaluate((host) => {
    const active = host.shadowRoot?.activeElement;
    return Boolean(active && host.shadowRoot?.querySelector('dialog')?.contains(active));
  });
}

/** Whether the element `locator` finds is the focused one of its shadow root. */
export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => (element.getRootNode() as unknown as { activeElement: unknown }).activeElement === element);
}
