import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestEnvironment, eventually, serviceEntries, spawnService, TcpProxy, type SpawnedService, type TestEnvironment } from '@tidings/test-support';
import { launchBrowser, type LaunchedBrowser } from '@tidings/test-support/browser';
import { freePort } from '@tidings/test-support/bench';

const inboxManifest = path.resolve(import.meta.dirname, '../../packages/inbox/dist/cdn/manifest.json');

export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  html: string | null;
  text: string | null;
}

export interface WebStackOptions {
  /** More configuration for every service (CORS_ORIGINS, GATEWAY_ORIGINS…). */
  env?: Record<string, string>;
}

/**
 * The whole system as `npm start` runs it, each service its own process on a free port — the API
 * in development mode (so the demo page and dev tokens answer), two gateways, the worker and the dev
 * mailbox — plus headless Chromium to look at it through the pages the API serves.
 */
export class WebStack {
  readonly services = new Map<string, SpawnedService>();
  browser!: LaunchedBrowser;
  private readonly contexts = new Set<BrowserContext>();

  private constructor(
    readonly env: TestEnvironment,
    readonly ports: { api: number; gateways: [number, number]; worker: number },
    readonly values: Record<string, string>,
    /** What browsers reach the gateways through, as through a network they can lose. */
    readonly gatewayLinks: [TcpProxy, TcpProxy],
  ) {}

  /** The gateway URLs pages are given (through the links). */
  get gatewayUrls(): string[] {
    return this.gatewayLinks.map((link) => `http://127.0.0.1:${link.port}`);
  }

  /** The network between browsers and gateways goes down: open connections drop, new ones are refused. */
  async cutGateways(): Promise<void> {
    await Promise.all(this.gatewayLinks.map((link) => link.cut()));
  }

  async restoreGateways(): Promise<void> {
    await Promise.all(this.gatewayLinks.map((link) => link.restore()));
  }

  static async start(options: WebStackOptions = {}): Promise<WebStack> {
    if (!fs.existsSync(inboxManifest)) throw new Error('the inbox element is not built: run `pnpm --filter @tidings/inbox build` (npm test does)');
    const env = await createTestEnvironment();
    const ports = { api: await freePort(), gateways: [await freePort(), await freePort()] as [number, number], worker: await freePort() };
    const [smtpPort, mailboxPort] = [await freePort(), await freePort()];
    const mailbox = await spawnService('mailbox', serviceEntries.mailbox, {
      LOG_LEVEL: 'info',
      MAILBOX_SMTP_PORT: String(smtpPort),
      MAILBOX_HTTP_PORT: String(mailboxPort),
    });
    const smtp = `smtp://127.0.0.1:${smtpPort}`;
    const gatewayLinks = ports.gateways.map((port) => new TcpProxy('127.0.0.1', port)) as [TcpProxy, TcpProxy];
    await Promise.all(gatewayLinks.map((link) => link.start()));
    const values: Record<string, string> = {
      ...env.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SMTP_URL: smtp,
      EMAIL_RETRY_BASE_MS: '200',
      HEARTBEAT_MS: '5000',
      GATEWAY_PUBLIC_URLS: gatewayLinks.map((link) => `http://127.0.0.1:${link.port}`).join(','),
      ...options.env,
    };
    const stack = new WebStack(env, ports, values, gatewayLinks);
    stack.services.set('mailbox', mailbox);
    const launches: Array<[string, string, Record<string, string>]> = [
      ['api', serviceEntries.api, { API_PORT: String(ports.api) }],
      ['gateway-1', serviceEntries.gateway, { GATEWAY_PORT: String(ports.gateways[0]), GATEWAY_ID: 'gateway-1' }],
      ['gateway-2', serviceEntries.gateway, { GATEWAY_PORT: String(ports.gateways[1]), GATEWAY_ID: 'gateway-2' }],
      ['worker', serviceEntries.worker, { WORKER_PORT: String(ports.worker) }],
    ];
    await Promise.all(
      launches.map(async ([name, entry, own]) => {
        stack.services.set(name, await spawnService(name, entry, { ...values, ...own }));
      }),
    );
    stack.browser = await launchBrowser();
    return stack;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  get mailboxUrl(): string {
    return `http://127.0.0.1:${this.services.get('mailbox')!.port}`;
  }

  /** A browser context: its own storage and cookies, like a separate browser (or device). */
  async context(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await this.browser.context({ viewport: { width: 1280, height: 800 }, ...options });
    this.contexts.add(context);
    return context;
  }

  /** Opens the demo page as `user` in `context` and waits until the bell is on the page. */
  async openDemo(context: BrowserContext, user: string): Promise<Page> {
    const page = await context.newPage();
    // Fail a step with its own call log well before the test's timeout.
    page.setDefaultTimeout(15_000);
    watchPage(page);
    await page.goto(`${this.apiUrl}/demo?user=${encodeURIComponent(user)}`);
    await bell(page).waitFor();
    return page;
  }

  /** `POST /v1/notifications` as a publishing service; answers the API's body. */
  async create(
    body: Record<string, unknown>,
    token = this.env.sign({ sub: 'e2e-service', scope: 'notifications:publish' }),
  ): Promise<{ notification_ids?: string[]; recipient_count: number }> {
    return this.request('POST', '/v1/notifications', body, token, 201);
  }

  async request<T = any>(method: string, route: string, body: unknown, token: string, expected?: number): Promise<T> {
    const response = await fetch(`${this.apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (expected !== undefined && response.status !== expected) throw new Error(`${method} ${route}: HTTP ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A user's live connections, as the admin view lists them. */
  async connectionsOf(user: string): Promise<Array<{ user_id: string; gateway_id: string }>> {
    const admin = this.env.sign({ sub: 'root', roles: ['admin'] });
    const { items } = await this.request<{ items: Array<{ user_id: string; gateway_id: string }> }>('GET', '/v1/admin/connections', undefined, admin, 200);
    return items.filter((item) => item.user_id === user);
  }

  /** What the dev mailbox holds. */
  async mailbox(): Promise<MailboxMessage[]> {
    const response = await fetch(`${this.mailboxUrl}/api/messages`);
    return (await response.json()) as MailboxMessage[];
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => {});
    await this.browser?.close();
    await Promise.all([...this.services.values()].map((service) => service.stop()));
    await Promise.all(this.gatewayLinks.map((link) => link.cut()));
    await this.env.dispose();
  }
}

/** The bell: the element's button whose accessible name starts with "Notifications". */
export const bell = (page: Page) => page.getByRole('button', { name: /^Notifications/ });

/** The open panel. */
export const panel = (page: Page) => page.getByRole('dialog');

/**
 * Collects what a page should never do — uncaught errors, Content-Security-Policy violations, and
 * JavaScript dialogs (an injected `alert`) — so a test can assert there were none.
 */
export interface PageProblems {
  errors: string[];
  dialogs: string[];
}
const problems = new WeakMap<Page, PageProblems>();

export function watchPage(page: Page): PageProblems {
  const found: PageProblems = { errors: [], dialogs: [] };
  problems.set(page, found);
  page.on('pageerror', (error) => found.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) found.errors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    found.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return found;
}

export function problemsOf(page: Page): PageProblems {
  return problems.get(page) ?? { errors: [], dialogs: [] };
}

/** Waits until the bell's accessible name reports `count` unread. */
export async function expectUnread(page: Page, count: number, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => {
    const name = (await bell(page).getAttribute('aria-label')) ?? (await bell(page).textContent()) ?? '';
    const shown = /(\d+)/.exec(name)?.[1];
    expect(Number(shown ?? 0)).toBe(count);
  }, timeoutMs);
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** An axe-core scan of the page as it is now: its serious and critical violations, as `id (nodes)`. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the page's CSP (rightly) refuses an injected script tag.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id} (${violation.nodes.length})`);
  });
}
