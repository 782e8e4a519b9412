import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { send } from './fake-http.ts';

/** What the test page puts on `<tidings-inbox>` and `<html>`. */
export interface PageOptions {
  locale?: string;
  theme?: string;
  dir?: 'ltr' | 'rtl';
  /** Leave out `getToken`, so the page script or the test sets up the element itself. */
  noToken?: boolean;
}

const contentTypes: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json', '.html': 'text/html' };

/** The test page: an app header holding `<tidings-inbox>` for the API and gateway at these addresses, with the options in `url`'s query. */
export function page(url: URL, apiUrl: string, gatewayUrl: string, res: ServerResponse): void {
  const option = (name: string) => url.searchParams.get(name);
  const attributes = [
    `api-url="${apiUrl}"`,
    `gateway-url="${gatewayUrl}"`,
    option('locale') ? `locale="${option('locale')}"` : '',
    option('theme') ? `theme="${option('theme')}"` : '',
  ].join(' ');
  const token = option('noToken') ? '' : `<script type="module">document.querySelector('tidings-inbox').getToken = async () => 'test-token';</script>`;
  const html = `<!doctype html>
<html lang="en" dir="${option('dir') ?? 'ltr'}" class="${option('theme') === 'dark' ? 'dark' : ''}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inbox test page</title>
<script type="module" src="/inbox/tidings-inbox.js"></script>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; color: #1b1f27; background: #f6f7f9; }
  header { display: flex; align-items: center; gap: 24px; padding: 8px 16px; background: #fff; border-bottom: 1px solid #e1e4ea; }
  header nav { display: flex; gap: 16px; flex: 1; font-size: 14px; }
  header nav a { color: inherit; text-decoration: none; opacity: 0.75; }
  .avatar { width: 32px; height: 32px; border-radius: 50%; background: #5b48c7; color: #fff; display: grid; place-items: center; font-size: 13px; font-weight: 600; }
  main { padding: 24px 16px; }
  @media (max-width: 639.98px) { header nav { display: none; } header strong { flex: 1; } }
  html.dark body { color: #e8eaef; background: #101216; }
  html.dark header { background: #1a1d23; border-color: #30353f; }
</style>
</head>
<body>
<header><strong>Acme</strong><nav><a href="#">Dashboard</a><a href="#">Projects</a><a href="#">Reports</a></nav><tidings-inbox ${attributes}></tidings-inbox><span class="avatar" aria-hidden="true">AK</span></header>
<main><h1>Dashboard</h1><button type="button" id="outside">Something else on the page</button></main>
${token}
</body>
</html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

/** A file of the built bundle in `assetsDir`. */
export async function asset(assetsDir: string, name: string, res: ServerResponse): Promise<void> {
  const file = normalize(join(assetsDir, name));
  if (!file.startsWith(assetsDir)) return send(res, 404);
  try {
    const content = await readFile(file);
    res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(content);
  } catch {
    send(res, 404);
  }
}

/** A round initials avatar, `/avatars/<initials>-<hue>.svg`: icons for sample data without the network. */
export function avatar(name: string, res: ServerResponse): void {
  const match = /^([A-Za-z]{1,2})-(\d{1,3})\.svg$/.exec(name);
  if (!match) return send(res, 404);
  const [, initials = '', hue = '0'] = match;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72"><rect width="72" height="72" fill="hsl(${hue} 55% 42%)"/><text x="36" y="45" font-family="system-ui, sans-serif" font-size="28" font-weight="600" fill="#fff" text-anchor="middle">${initials.toUpperCase()}</text></svg>`;
  res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg);
}
