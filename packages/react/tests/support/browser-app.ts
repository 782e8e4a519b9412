import fs from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, type LaunchedBrowser } from '@tidings/test-support/browser';
import { build } from 'vite';

export type Page = Awaited<ReturnType<Awaited<ReturnType<LaunchedBrowser['context']>>['newPage']>>;

const appDir = fileURLToPath(new URL('../app/', import.meta.url));

const html = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Test app</title></head>
  <body><main id="root"></main><script type="module" src="/app.js"></script></body>
</html>`;

/** The test app (tests/app/main.tsx), bundled by vite in development mode (so StrictMode double-runs effects), served on 127.0.0.1. */
export interface TestAppServer {
  url: string;
  close(): Promise<void>;
}

export async function serveTestApp(): Promise<TestAppServer> {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-react-'));
  await build({
    configFile: false,
    root: appDir,
    mode: 'development',
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    oxc: { jsx: { runtime: 'automatic' } },
    // The workspace packages from their sources, as the tests see them.
    resolve: { conditions: ['@tidings/source', 'module', 'browser', 'development'] },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      modulePreload: false,
      rolldownOptions: { input: path.join(appDir, 'main.tsx'), output: { entryFileNames: 'app.js' } },
    },
  });
  const script = await fs.readFile(path.join(outDir, 'app.js'));
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (pathname === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else if (pathname === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(outDir, { recursive: true, force: true });
    },
  };
}

export { launchBrowser, type LaunchedBrowser };
