import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDistDir, withGateway } from '../src/http/console-assets.ts';
import { startHarness, type ApiHarness } from './harness.ts';

const indexPath = path.join(consoleDistDir(), 'index.html');

let h: ApiHarness;
beforeAll(async () => {
  if (!fs.existsSync(indexPath)) throw new Error('the console is not built: run `pnpm --filter @tidings/console build` (npm test does)');
  h = await startHarness({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40), UNSUBSCRIBE_SECRET: 'u'.repeat(32), GATEWAY_PUBLIC_URLS: 'https://rt.example' });
});
afterAll(async () => {
  await h?.close();
});

describe('the console', () => {
  it('answers every app path with its page: scripts only from this origin, connections to the gateways, never cached or framed', async () => {
    for (const route of ['/console', '/console/', '/console/compose', '/console/recipients/alice']) {
      const response = await fetch(`${h.api.url}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type'), route).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control'), route).toBe('no-store');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("connect-src 'self' https://rt.example wss://rt.example;");
      expect(csp).toContain("frame-ancestors 'none'");
      const page = await response.text();
      expect(page).toContain('<div id="root">');
      expect(page).toContain('<meta name="tidings-gateway-url" content="https://rt.example">');
      expect(page, 'no inline script').not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('serves its hashed assets for a year, and a missing one as the JSON 404 rather than the page', async () => {
    const page = await (await fetch(`${h.api.url}/console/`)).text();
    const script = /<script[^>]+src="(\/console\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${h.api.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const route of ['/console/assets/nope.js', '/console/assets/', '/console/assets/..%2findex.html', '/console/assets/%2e%2e%2findex.html']) {
      const response = await h.request('GET', route);
      expect(response.status, route).toBe(404);
      expect(response.body.error.code, route).toBe('not_found');
    }
  });

  it('takes only GET and HEAD', async () => {
    const head = await fetch(`${h.api.url}/console`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const post = await h.request('POST', '/console', { body: {} });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('not_found');
  });
});

describe('the gateway placeholder of the console page', () => {
  it('is filled however the markup spells the empty tag, with the URL escaped', () => {
    for (const tag of [
      '<meta name="tidings-gateway-url" content="">',
      '<meta name="tidings-gateway-url" content="" />',
      '<meta  name="tidings-gateway-url"  content=""/>',
    ]) {
      expect(withGateway(`<head>${tag}</head>`, 'wss://rt.example/?a=1&b="2"'), tag).toBe(
        '<head><meta name="tidings-gateway-url" content="wss://rt.example/?a=1&amp;b=&quot;2&quot;"></head>',
      );
    }
  });

  it('is required: a page without it is a broken build, not a console without its bell', () => {
    expect(() => withGateway('<head><title>x</title></head>', 'wss://rt.example')).toThrow(/tidings-gateway-url/);
  });
});
