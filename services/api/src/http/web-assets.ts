import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Response } from 'express';
import type { Config } from '@tidings/config';
import type { Logger } from '@tidings/server-kit';
import { demoPage, demoContentSecurityPolicy } from './demo-page.ts';
import { isDevelopmentRequest } from './development.ts';

/** Where `@tidings/inbox` puts its build (`vite build`): the element's bundle and its manifest. */
export function inboxDistDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.resolve('@tidings/inbox/package.json'))), 'dist', 'cdn');
}

const webDir = fileURLToPath(new URL('../../web', import.meta.url));

/** A content-hashed file never changes under its name: browsers and CDNs keep it for a year. */
const immutable = 'public, max-age=31536000, immutable';
/** The stable alias is revalidated after five minutes, so a new release reaches pages quickly. */
const revalidate = 'public, max-age=300, must-revalidate';

/**
 * The element is public code that any page may embed, from any origin: it answers CORS for every
 * origin (no credentials) and says `cross-origin` where the API's default policy says `same-origin`.
 */
function embeddable(res: Response): void {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  res.set('Timing-Allow-Origin', '*');
}

/**
 * Mounts `/inbox/` (the `<tidings-inbox>` bundle: `tidings-inbox.js`, a stable alias, and its
 * content-hashed twin) and, in development, the demo page at `/demo` with its script and styles.
 */
export function mountWebAssets(app: Express, config: Config, logger: Logger): void {
  const dist = inboxDistDir();
  if (!fs.existsSync(path.join(dist, 'manifest.json'))) {
    logger.warn({ dir: dist }, 'the inbox element is not built: /inbox/ answers 404 until `pnpm --filter @tidings/inbox build` runs');
  }
  app.use(
    '/inbox',
    express.static(dist, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders(res, file) {
        embeddable(res);
        res.set('Cache-Control', /-[A-Za-z0-9_-]{8,}\.js(\.map)?$/.test(path.basename(file)) ? immutable : revalidate);
      },
    }),
  );

  const development = config.NODE_ENV === 'development';
  const demoAssets = express.static(webDir, { index: false, redirect: false, setHeaders: (res) => res.set('Cache-Control', 'no-cache') });
  app.use('/demo/assets', (req, res, next) => (development && isDevelopmentRequest(req, config) ? demoAssets(req, res, next) : next()));
  app.get('/demo', (req, res, next) => {
    if (!development || !isDevelopmentRequest(req, config)) return next();
    const gateways = config.GATEWAY_PUBLIC_URLS;
    const gatewayUrl = gateways[Math.floor(Math.random() * gateways.length)]!;
    res
      .set('Content-Security-Policy', demoContentSecurityPolicy(gateways))
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(demoPage({ user: typeof req.query.user === 'string' ? req.query.user : undefined, gatewayUrl, productName: config.PRODUCT_NAME }));
  });
}
