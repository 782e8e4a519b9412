import { userIdSchema } from '@tidings/protocol';
import { gatewaySources } from './content-security.ts';
import { html } from './html.ts';

/** Who the demo signs in as when the URL names nobody (or names an id the API would refuse). */
export const DEFAULT_DEMO_USER = 'alice';

export interface DemoPageOptions {
  /** `?user=`; anything that is not a valid user id falls back to the default. */
  user: string | undefined;
  /** The gateway this page load connects to. */
  gatewayUrl: string;
  productName: string;
}

/**
 * The demo's policy: scripts and styles only from this origin (no inline script at all), REST to
 * this origin, WebSocket and SSE to the configured gateways, images from anywhere over https
 * (notification icons), never framed.
 */
export function demoContentSecurityPolicy(gatewayUrls: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    `connect-src ${["'self'", ...gatewaySources(gatewayUrls)].join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * A sample app page with the bell in its header, signed in through the development token route by
 * its script (`/demo/assets/demo.js`), with buttons that send the signed-in user notifications.
 */
export function demoPage(options: DemoPageOptions): string {
  const user = options.user !== undefined && userIdSchema.safeParse(options.user).success ? options.user : DEFAULT_DEMO_USER;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>Demo app · ${options.productName}</title>
        <link rel="stylesheet" href="/demo/assets/demo.css" />
        <script type="module" src="/inbox/tidings-inbox.js"></script>
        <script type="module" src="/demo/assets/demo.js"></script>
      </head>
      <body data-user="${user}" data-gateway-url="${options.gatewayUrl}">
        <header class="app-bar">
          <a class="brand" href="#main">Acme Projects</a>
          <nav aria-label="Main"><a href="#main" aria-current="page">Dashboard</a><a href="#activity">Activity</a><a href="#team">Team</a></nav>
          <div class="tools">
            <tidings-inbox theme="auto"></tidings-inbox>
            <span class="avatar" title="Signed in as ${user}" aria-label="Signed in as ${user}">${user.slice(0, 1).toUpperCase()}</span>
          </div>
        </header>
        <main id="main">
          <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">Hello, ${user}</h1>
            <p>
              This page is a stand-in for your app. The bell in the header is <code>&lt;tidings-inbox&gt;</code>, signed in as <strong>${user}</strong> with a
              development token. Send yourself something:
            </p>
            <div class="actions" role="group" aria-label="Send a notification">
              <button type="button" data-send="normal">Send a notification</button>
              <button type="button" data-send="high">Send an urgent one</button>
              <button type="button" data-send="burst">Send five</button>
              <button type="button" data-send="email">Send one by email too</button>
            </div>
            <p class="status" role="status" aria-live="polite"></p>
            <p class="hint">Open this page in a second tab (or as <a href="?user=bob">bob</a>) and watch both. From a terminal:</p>
            <pre><code>TOKEN=$(pnpm -s run token --sub demo-app --scope notifications:publish)
curl -X POST localhost:3000/v1/notifications -H "authorization: Bearer $TOKEN" \\
  -H 'content-type: application/json' \\
  -d '{"to":{"user_ids":["${user}"]},"type":"comment.created","title":"Hi from curl"}'</code></pre>
          </section>
          <section id="activity" class="cards" aria-label="Projects">
            <article>
              <h2>Website relaunch</h2>
              <p>12 open tasks · due Friday</p>
              <div class="bar"><span class="w64"></span></div>
            </article>
            <article>
              <h2>Mobile app 2.0</h2>
              <p>30 open tasks · due in 3 weeks</p>
              <div class="bar"><span class="w38"></span></div>
            </article>
            <article>
              <h2>Billing migration</h2>
              <p>4 open tasks · due tomorrow</p>
              <div class="bar"><span class="w88"></span></div>
            </article>
          </section>
          <section id="team" class="team" aria-label="Team">
            <h2>Team</h2>
            <ul>
              <li><a href="?user=alice">alice</a></li>
              <li><a href="?user=bob">bob</a></li>
              <li><a href="?user=carol">carol</a></li>
            </ul>
          </section>
        </main>
      </body>
    </html> `.value;
}
