import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/** Where the browser tests find Chromium (`npm test` installs Debian's package there when missing). */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Flags for headless Chromium on this kind of machine: no sandbox (we run as root), and none of the
 * background traffic to Google's hosts that a closed network refuses.
 */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface LaunchedBrowser {
  browser: Browser;
  /** A new context (its own storage, like a separate browser profile). */
  context(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Launches Debian's Chromium headless (Playwright gives it a fresh temporary profile). */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: run \`npm test\` (it installs it) or set CHROMIUM_PATH`);
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  return {
    browser,
    context: (options) => browser.newContext(options),
    close: () => browser.close().catch(() => {}),
  };
}
