import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxDistDir } from '../src/http/web-assets.ts';
import { startHarness, type ApiHarness } from './harness.ts';

const manifestPath = path.join(inboxDistDir(), 'manifest.json');

let dev: ApiHarness;
let production: ApiHarness;
beforeAll(async () => {
  if (!fs.existsSync(manifestPath)) throw new Error('the inbox element is not built: run `pnpm --filter @tidings/inbox build` (npm test does)');
  [dev, production] = await Promise.all([
    startHarness({ NODE_ENV: 'development', GATEWAY_PUBLIC_URLS: 'http://127.0.0.1:3901,https://rt.example' }),
    startHarness({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40), UNSUBSCRIBE_SECRET: 'u'.repeat(32) }),
  ]);
});
afterAll(async () => {
  await Promise.all([dev?.close(), production?.close()]);
});

describe('the inbox element for any page', () => {
  it('is served under its hashed name for a year and under the stable alias for five minutes, both embeddable from any origin', async () => {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { file: string; alias: string };
    for (const h of [dev, production]) {
      const hashed = await fetch(`${h.api.url}/inbox/${manifest.file}`, { headers: { origin: 'https://app.example' } });
      expect(hashed.status).toBe(200);
      expect(hashed.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(hashed.headers.get('access-control-allow-origin')).toBe('*');
      expect(hashed.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      const alias = await fetch(`${h.api.url}/inbox/tidings-inbox.js`);
      expect(alias.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
      expect(alias.headers.get('etag')).toBeTruthy();
      expect(await alias.text()).toBe(await hashed.text());
    }
  });

  it('answers a missing file with the JSON 404, not a directory listing or a page', async () => {
    for (const route of ['/inbox/', '/inbox/nope.js', '/inbox/../package.json', '/inbox/%2e%2e/package.json']) {
      const response = await dev.request('GET', route);
      expect(response.status, route).toBe(404);
      expect(response.body.error.code, route).toBe('not_found');
    }
  });

  it('keeps the API answers themselves same-origin', async () => {
    const response = await dev.request('GET', '/healthz');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});

describe('the demo page', () => {
  it('shows the bell for the user in the URL, with scripts only from this origin and connections only to the gateways', async () => {
    const response = await fetch(`${dev.api.url}/demo?user=bob`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:3901 ws://127.0.0.1:3901 https://rt.example wss://rt.example");
    const page = await response.text();
    expect(page).toContain('<tidings-inbox');
    expect(page).toContain('data-user="bob"');
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).toMatch(/data-gateway-url="(http:\/\/127\.0\.0\.1:3901|https:\/\/rt\.example)"/);
  });

  it('escapes the user id, and falls back to alice for one the API would refuse', async () => {
    const escaped = await (await fetch(`${dev.api.url}/demo?user=${encodeURIComponent('<img src=x onerror=alert(1)>')}`)).text();
    expect(escaped).not.toContain('<img src=x');
    expect(escaped).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const fallback = await (await fetch(`${dev.api.url}/demo?user=${encodeURIComponent('a\u0001b')}`)).text();
    expect(fallback).toContain('data-user="alice"');
  });

  it('serves its script and styles in development', async () => {
    for (const file of ['demo.js', 'demo.css']) expect((await fetch(`${dev.api.url}/demo/assets/${file}`)).status, file).toBe(200);
  });

  it('is not there in production, nor through a proxy in development', async () => {
    for (const route of ['/demo', '/demo?user=alice', '/demo/assets/demo.js']) {
      const response = await production.request('GET', route);
      expect(response.status, route).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    const forwarded: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { 'x-real-ip': '203.0.113.9' }];
    for (const headers of forwarded) {
      expect((await dev.request('GET', '/demo', { headers })).status).toBe(404);
      expect((await dev.request('GET', '/demo/assets/demo.js', { headers })).status).toBe(404);
    }
  });
});
