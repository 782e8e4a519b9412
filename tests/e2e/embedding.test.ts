/// <reference lib="dom" />
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueId } from '@tidings/test-support';
import { freePort } from '@tidings/test-support/bench';
import { bell, expectUnread, panel, watchPage, WebStack } from './web-stack.ts';

/**
 * `<tidings-inbox>` where users really put it: a page of another origin (another port) that loads
 * the element from the API and talks to the API and the gateways cross-origin.
 */
let stack: WebStack;
let allowed: Server;
let refused: Server;
let allowedOrigin: string;

/** A plain app page of its own origin: the snippet from the README, and a token from "its backend". */
function appPage(): (req: unknown, res: import('node:http').ServerResponse) => void {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another app</title>
<script type="module" src="${stack.apiUrl}/inbox/tidings-inbox.js"></script></head>
<body><header><h1>Another app</h1>
<tidings-inbox api-url="${stack.apiUrl}" gateway-url="${stack.gatewayUrls[0]}"></tidings-inbox></header>
<script type="module">
  await customElements.whenDefined('tidings-inbox');
  document.querySelector('tidings-inbox').getToken = () => window.appToken();
</script></body></html>`);
  };
}

async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const allowedPort = await freePort();
  allowedOrigin = `http://127.0.0.1:${allowedPort}`;
  stack = await WebStack.start({ env: { CORS_ORIGINS: allowedOrigin, GATEWAY_ORIGINS: allowedOrigin } });
  allowed = createServer(appPage());
  refused = createServer(appPage());
  await listen(allowed, allowedPort);
}, 120_000);
afterAll(async () => {
  allowed?.close();
  refused?.close();
  await stack?.close();
});

async function openApp(origin: string, user: string): Promise<{ page: Page; console: string[] }> {
  const page = await (await stack.context()).newPage();
  watchPage(page);
  const console: string[] = [];
  page.on('console', (message) => console.push(message.text()));
  await page.exposeFunction('appToken', () => stack.env.sign({ sub: user }));
  await page.goto(origin);
  await bell(page).waitFor();
  return { page, console };
}

describe('the element embedded in a page of another origin', () => {
  it('works end to end from an origin in CORS_ORIGINS and GATEWAY_ORIGINS', async () => {
    const user = uniqueId('embed');
    const { page } = await openApp(allowedOrigin, user);
    await eventually(async () => expect(await stack.connectionsOf(user)).toHaveLength(1));
    await stack.create({ to: { user_ids: [user] }, type: 'comment.created', title: 'Hello from another origin' });
    await expectUnread(page, 1);
    await bell(page).click();
    await panel(page).getByRole('article', { name: 'Hello from another origin' }).getByRole('button', { name: 'Mark as read' }).click();
    await expectUnread(page, 0);
    const { count } = await stack.request('GET', '/v1/notifications/unread-count', undefined, stack.env.sign({ sub: user }), 200);
    expect(count).toBe(0);
  });

  it('fails with a clear message from an origin that is not listed, and no gateway takes the connection', async () => {
    const user = uniqueId('embed');
    const origin = await listen(refused, 0);
    const { page, console } = await openApp(origin, user);
    await bell(page).click();
    await panel(page).getByRole('alert').filter({ hasText: 'Could not load your notifications.' }).waitFor({ timeout: 15_000 });
    await eventually(() => expect(console.some((line) => line.includes('CORS_ORIGINS') && line.includes(origin))).toBe(true));
    expect(console.some((line) => /blocked by CORS policy/.test(line))).toBe(true);
    expect(await stack.connectionsOf(user)).toEqual([]);
  });
});
