import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '@tidings/test-support/browser';
import { bundleForBrowser } from '../scripts/browser-bundle.ts';
import { FakeGateway, fakeJwt, waitFor } from '../src/testing/fake-gateway.ts';

/**
 * The SDK as an app ships it (bundled for the browser) in real Chromium tabs: pages of one browser
 * context share their origin's Web Locks and BroadcastChannels, as the tabs of one profile do.
 */
const page = `<!doctype html>
<meta charset="utf-8">
<title>tabs</title>
<script type="module">
  import { TidingsClient } from '/tidings-client.js';
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  const client = new TidingsClient({ url: params.get('gateway'), getToken: () => token, backoff: { baseMs: 20, capMs: 200 } });
  const seen = { seqs: [], unread: [] };
  client.on('notification', (n) => seen.seqs.push(n.seq));
  client.on('unread_count', (count) => seen.unread.push(count));
  Object.assign(window, { client, seen });
  client.connect();
</script>`;

/** What the page puts on `window`, and the part of the browser the tests look at (the root tsconfig has no DOM types). */
interface PageGlobals {
  client: { state: string; lastSeq: number | undefined };
  seen: { seqs: number[]; unread: number[] };
  navigator: { locks?: unknown };
  Navigator: { prototype: object };
}

let browser: LaunchedBrowser;
let bundleDir: string;
let server: Server;
let pageUrl: string;
let fake: FakeGateway;

beforeAll(async () => {
  bundleDir = await mkdtemp(path.join(tmpdir(), 'tidings-client-'));
  const { file } = await bundleForBrowser(bundleDir);
  const script = await readFile(file!);
  server = createServer((req, res) => {
    if (req.url?.startsWith('/tidings-client.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(bundleDir, { recursive: true, force: true });
});

afterEach(async () => {
  await fake?.stop();
});

async function start(): Promise<void> {
  fake = await FakeGateway.start();
  const query = new URLSearchParams({ gateway: fake.url, token: fakeJwt({}) });
  pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?${query}`;
}

type Tab = Awaited<ReturnType<Awaited<ReturnType<LaunchedBrowser['context']>>['newPage']>>;

async function open(tab: Tab): Promise<Tab> {
  const errors: string[] = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.goto(pageUrl);
  await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).client?.state === 'open');
  expect(errors).toEqual([]);
  return tab;
}

const seqsOf = (tab: Tab) => tab.evaluate(() => (globalThis as unknown as PageGlobals).seen.seqs);

const waitForSeqs = (tab: Tab, count: number) => tab.waitForFunction((n) => (globalThis as unknown as PageGlobals).seen.seqs.length >= n, count);

describe('tabs of one browser', () => {
  it('share one gateway connection, and the next tab takes over from the last seq when the leader closes', async () => {
    await start();
    fake.add({ live: false });
    const context = await browser.context();
    const leader = await open(await context.newPage());
    const follower = await open(await context.newPage());
    // The late tab shows the unread count at once, from the leader.
    await follower.waitForFunction(() => (globalThis as unknown as PageGlobals).seen.unread.includes(1));
    expect(fake.ws).toHaveLength(1);
    expect(fake.openConnections).toBe(1);

    fake.add();
    await Promise.all([waitForSeqs(leader, 1), waitForSeqs(follower, 1)]);
    expect(await seqsOf(leader)).toEqual([2]);
    expect(await seqsOf(follower)).toEqual([2]);

    await leader.close();
    // Committed while the leader's socket is gone and before the next tab connects: only its replay brings it.
    fake.add({ live: false });
    await waitFor(() => fake.ws.length === 2 && fake.openConnections === 1, 'the follower connected', 10_000);
    expect(fake.ws[1]!.since).toBe(2);
    fake.add();
    await waitForSeqs(follower, 3);
    expect(await seqsOf(follower)).toEqual([2, 3, 4]);
    await context.close();
  });

  it('keep a connection per tab where Web Locks are missing', async () => {
    await start();
    const context = await browser.context();
    await context.addInitScript(() => {
      Object.defineProperty((globalThis as unknown as PageGlobals).Navigator.prototype, 'locks', { configurable: true, get: () => undefined });
    });
    const first = await open(await context.newPage());
    const second = await open(await context.newPage());
    expect(await first.evaluate(() => (globalThis as unknown as PageGlobals).navigator.locks)).toBeUndefined();
    await waitFor(() => fake.openConnections === 2, 'two connections');
    fake.add();
    await Promise.all([waitForSeqs(first, 1), waitForSeqs(second, 1)]);
    expect(await seqsOf(first)).toEqual([1]);
    expect(await seqsOf(second)).toEqual([1]);
    await context.close();
  });
});
