import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import type { Config } from '@tidings/config';
import type { Logger } from '@tidings/server-kit';
import { escapeHtml } from '@tidings/email/placeholders';
import { gatewaySources } from './content-security.ts';

/** Where `@tidings/console` puts its build (`vite build`): `index.html` and the hashed `assets/`. */
export function consoleDistDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.resolve('@tidings/console/package.json'))), 'dist');
}

/**
 * The console's policy: scripts only from this origin (none inline, no eval), REST to this origin and
 * the gateways, never framed. Inline styles are allowed because a rendered email, shown in a
 * sandboxed `srcdoc` frame that inherits this policy, is styled inline by MJML; the frame runs no
 * script, and the console itself renders every text from the API as text.
 */
export function consoleContentSecurityPolicy(gatewayUrls: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src ${["'self'", ...gatewaySources(gatewayUrls)].join(' ')}`,
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The page's gateway placeholder, however the markup spells it (`content=""`, self-closing or not). */
const GATEWAY_META = /<meta\s+name="tidings-gateway-url"\s+content=""\s*\/?>/;

/** The page with the gateway written into its placeholder; a page without one is a broken build, not a page. */
export function withGateway(source: string, gatewayUrl: string): string {
  if (!GATEWAY_META.test(source)) throw new Error('the console page has no <meta name="tidings-gateway-url" content=""> to write the gateway into');
  return source.replace(GATEWAY_META, `<meta name="tidings-gateway-url" content="${escapeHtml(gatewayUrl)}">`);
}

/**
 * Mounts the admin console at `/console`: its content-hashed assets cached for a year, and for every
 * other `/console/*` path (the app routes in the browser) its `index.html`, never cached, with the
 * gateway this page load may connect to written into a meta tag. A missing build answers the JSON 404.
 */
export function mountConsole(app: Express, config: Config, logger: Logger): void {
  const dist = consoleDistDir();
  const indexFile = path.join(dist, 'index.html');
  if (!fs.existsSync(indexFile)) {
    logger.warn({ dir: dist }, 'the console is not built: /console answers 404 until `pnpm --filter @tidings/console build` runs');
  }
  const policy = consoleContentSecurityPolicy(config.GATEWAY_PUBLIC_URLS);

  app.use(
    '/console/assets',
    express.static(path.join(dist, 'assets'), {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res) => res.set('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );

  const page = async (_req: Request, res: Response, next: (error?: unknown) => void) => {
    let source: string;
    try {
      // Read per request: the page is small, and a rebuild is picked up without a restart.
      source = await fs.promises.readFile(indexFile, 'utf8');
    } catch {
      return next();
    }
    const gateways = config.GATEWAY_PUBLIC_URLS;
    const gatewayUrl = gateways[Math.floor(Math.random() * gateways.length)] ?? '';
    res
      .set('Content-Security-Policy', policy)
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .type('html')
      .send(withGateway(source, gatewayUrl));
  };
  app.get(['/console', '/console/{*rest}'], (req, res, next) => {
    // Anything under assets/ that is not a file is the JSON 404, not the page.
    if (req.path.startsWith('/console/assets/')) return next();
    return page(req, res, next);
  });
}
