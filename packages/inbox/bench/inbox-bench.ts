/**
 * Figures of `<tidings-inbox>` in headless Chromium against the fake backend:
 * `pnpm bench:inbox`.
 *
 * - bundle size, minified and minified + gzip, with and without the SDK (goal ≤ 25 KB gz in all);
 * - opening the panel to 50 rendered items (goal < 50 ms);
 * - the longest main-thread task while 1,000 notifications arrive at 100/s with the panel open
 *   (goal < 50 ms), from a `longtask` PerformanceObserver, with the longest frame as a finer bound;
 * - the JS heap after a forced GC: before, after the burst, after closing the panel, after
 *   removing the element (back near the start).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { launchBrowser } from '@tidings/test-support/browser';
import { FakeBackend } from '../tests/fake-backend.ts';
import { buildBundle, inbox, openPanel } from '../tests/harness.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const OPEN_RUNS = 15;
const BURST = 1_000;
const BURST_RATE_PER_S = 100;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Minified and gzipped sizes of the bundle built with `external` left out. */
async function bundleSize(external: string[]): Promise<{ min: number; gzip: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-inbox-size-'));
  try {
    await build({
      configFile: join(packageDir, 'vite.config.ts'),
      logLevel: 'silent',
      build: { outDir: dir, emptyOutDir: true, rolldownOptions: { external } },
    });
    const code = await readFile(join(dir, 'tidings-inbox.js'));
    return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the page measured during the burst, and how many items the inbox holds and renders after it. */
interface BurstStats {
  longTasks: number[];
  longestFrame: number;
  items: number;
  rendered: number;
}

async function heapUsed(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/** Live instances of a class whose prototype `expression` evaluates to (the DevTools way to find a leak). */
async function instances(cdp: CDPSession, expression: string): Promise<number> {
  const group = 'bench-instances';
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression, objectGroup: group });
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: result.objectId!, objectGroup: group });
    const { result: count } = await cdp.send('Runtime.callFunctionOn', {
      objectId: objects.objectId!,
      functionDeclaration: 'function () { return this.length; }',
      returnByValue: true,
    });
    return count.value as number;
  } finally {
    // The query's results are remote objects too: released, so they keep nothing alive.
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup: group });
  }
}

/** Opens the panel from a click in the page and times it to the render with 50 items, and to the next frame. */
async function timeOpen(page: Page): Promise<{ rendered: number; frame: number }> {
  return inbox(page).evaluate(async (host) => {
    const root = host.shadowRoot!;
    const bell = root.querySelector('.bell') as unknown as { click(): void };
    const start = performance.now();
    bell.click();
    await (host as unknown as { updateComplete: Promise<boolean> }).updateComplete;
    const rendered = performance.now() - start;
    if (root.querySelectorAll('article').length < 50) throw new Error('fewer than 50 items rendered');
    const view = host.ownerDocument.defaultView as unknown as { requestAnimationFrame(callback: () => void): void };
    await new Promise<void>((resolve) => view.requestAnimationFrame(resolve));
    return { rendered, frame: performance.now() - start };
  });
}

async function closePanel(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
}

async function main(): Promise<void> {
  const full = await bundleSize([]);
  const withoutSdk = await bundleSize(['@tidings/client']);

  const bundle = await buildBundle();
  const browser = await launchBrowser();
  const backend = await FakeBackend.start({ assetsDir: bundle.dir });
  try {
    backend.seedMany(200, (i) => ({
      title: `Seeded notification ${i + 1}`,
      body: 'A body of a realistic length, around a line and a half in the panel at its default width.',
    }));
    const context = await browser.context({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await page.goto(backend.pageUrl());
    await page.getByRole('button', { name: /^Notifications, 200 unread/ }).waitFor();
    // The first page (50 items) is loaded once the list can open with them.
    await openPanel(page);
    await page.getByRole('article', { name: 'Seeded notification 151' }).waitFor();
    await closePanel(page);

    const heapStart = await heapUsed(cdp);

    const opens: Array<{ rendered: number; frame: number }> = [];
    for (let i = 0; i < OPEN_RUNS; i++) {
      opens.push(await timeOpen(page));
      await closePanel(page);
    }

    await openPanel(page);
    await page.evaluate(`
      window.__longTasks = [];
      window.__longestFrame = 0;
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push(entry.duration); }).observe({ type: 'longtask' });
      let last = performance.now();
      const frame = (now) => { window.__longestFrame = Math.max(window.__longestFrame, now - last); last = now; if (!window.__stopFrames) requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
    `);
    const burstStart = Date.now();
    for (let sent = 0; sent < BURST; sent++) {
      const due = burstStart + (sent * 1000) / BURST_RATE_PER_S;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      backend.publish({ title: `Live notification ${sent + 1}`, body: 'Arrived during the burst.' });
    }
    // A cheap check every half second: a locator's polling would load the main thread it measures.
    await page.waitForFunction(
      `document.querySelector('tidings-inbox').shadowRoot.querySelector('article h3')?.textContent === 'Live notification ${BURST}'`,
      undefined,
      { polling: 500, timeout: 60_000 },
    );
    const burstSeconds = (Date.now() - burstStart) / 1000;
    const burst = await page.evaluate<BurstStats>(`(() => {
      window.__stopFrames = true;
      const inbox = document.querySelector('tidings-inbox');
      return { longTasks: window.__longTasks, longestFrame: window.__longestFrame, items: inbox.list.items.length, rendered: inbox.shadowRoot.querySelectorAll('article').length };
    })()`);
    const { longTasks, longestFrame, items, rendered: renderedItems } = burst;
    const heapAfterBurst = await heapUsed(cdp);
    await closePanel(page);
    const heapClosed = await heapUsed(cdp);
    // Removed from the page by a script, not through a locator: a locator's handle would keep the element alive.
    await page.evaluate(`document.querySelector('tidings-inbox').remove()`);
    await page.waitForFunction('true');
    const heapRemoved = await heapUsed(cdp);
    const elementsLeft = await instances(cdp, `customElements.get('tidings-inbox').prototype`);
    const socketsLeft = await instances(cdp, 'WebSocket.prototype');

    const rendered = opens.map((o) => o.rendered);
    const frames = opens.map((o) => o.frame);
    const longest = Math.max(0, ...longTasks);
    const rows: Array<[string, string, string]> = [
      ['bundle, min', kb(full.min), ''],
      ['bundle, min+gzip (element + lit + SDK)', kb(full.gzip), '≤ 25 KB'],
      ['  element + lit only (SDK external), min+gzip', kb(withoutSdk.gzip), ''],
      ["  the SDK's share, min+gzip", kb(full.gzip - withoutSdk.gzip), ''],
      [
        `open → 50 items rendered (median of ${OPEN_RUNS}, first, max)`,
        `${ms(median(rendered))}, ${ms(rendered[0] ?? NaN)}, ${ms(Math.max(...rendered))}`,
        '< 50 ms',
      ],
      ['open → next frame (median, max)', `${ms(median(frames))}, ${ms(Math.max(...frames))}`, ''],
      [
        `longest task, ${BURST} arrivals at ${BURST_RATE_PER_S}/s, panel open (${items} held, ${renderedItems} rendered, ${burstSeconds.toFixed(1)} s)`,
        longTasks.length === 0 ? 'none ≥ 50 ms (longtask)' : `${ms(longest)} (${longTasks.length} long tasks)`,
        '< 50 ms',
      ],
      ['  longest frame interval meanwhile (an upper bound of any task)', ms(longestFrame), ''],
      ['JS heap after GC: before (panel closed, 50 items loaded)', kb(heapStart), ''],
      ['  after the burst (panel open)', kb(heapAfterBurst), ''],
      ['  after closing the panel (1,050 notifications still held)', kb(heapClosed), ''],
      ['  after removing the element', kb(heapRemoved), 'near the start'],
      ['  element and WebSocket instances left after removing it', `${elementsLeft} and ${socketsLeft}`, '0 and 0'],
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    console.log(`\n<tidings-inbox> benchmark (headless Chromium, ${new Date().toISOString()})\n`);
    for (const [name, value, goal] of rows) console.log(`${name.padEnd(width)}  ${value.padEnd(32)}  ${goal}`);
    await context.close();
  } finally {
    await backend.stop();
    await browser.close();
    await bundle.remove();
  }
}

await main();
