import type { Request, Response } from 'express';
import { escapeHtml } from '@tidings/email/placeholders';

/** HTML that is safe to insert as it is; only `html` below makes it. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What a page may interpolate: text, numbers, markup, nothing (`undefined`, `null`, `false`), and lists of these. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * Tagged template for markup: every interpolated value is escaped (text and attribute values alike)
 * unless it is itself `html`, so a page cannot forget to escape a dynamic value.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

export interface PageBranding {
  productName: string;
  /** `#rgb` or `#rrggbb` (the configuration checks it). */
  brandColor: string;
}

/**
 * A complete page for people (unsubscribe confirmations): inline CSS only, no script and nothing
 * fetched from elsewhere, so it works under the API's Content-Security-Policy and in any browser.
 */
export function htmlPage(branding: PageBranding, title: string, content: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en" style="--brand: ${branding.brandColor}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · ${branding.productName}</title>
        <style>
          body {
            margin: 0;
            background: #f4f4f5;
            color: #18181b;
            font:
              16px/1.5 system-ui,
              -apple-system,
              'Segoe UI',
              Roboto,
              sans-serif;
          }
          main {
            max-width: 30rem;
            margin: 4rem auto;
            padding: 2rem;
            background: #fff;
            border-top: 4px solid var(--brand);
            border-radius: 12px;
          }
          .product {
            margin: 0 0 1rem;
            color: var(--brand);
            font-weight: 600;
          }
          h1 {
            margin: 0 0 1rem;
            font-size: 1.3rem;
          }
          button {
            display: block;
            width: 100%;
            margin: 0.6rem 0 0;
            padding: 0.75rem;
            border: 1px solid var(--brand);
            border-radius: 8px;
            background: #fff;
            color: var(--brand);
            font: inherit;
            cursor: pointer;
          }
          button.primary {
            background: var(--brand);
            color: #fff;
          }
          .note {
            color: #52525b;
            font-size: 0.9rem;
          }
        </style>
      </head>
      <body>
        <main>
          <p class="product">${branding.productName}</p>
          <h1>${title}</h1>
          ${content}
        </main>
      </body>
    </html> `.value;
}

/** True when the client asks for JSON before HTML; a browser, a wildcard Accept or none at all gets HTML. */
export function prefersJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/**
 * The pages' own Content-Security-Policy, stricter than the API's default: nothing but their inline
 * CSS, forms only to this origin, never framed. It leaves out `upgrade-insecure-requests`, which
 * would send the page's form to https on a plain-http development stack.
 */
export const pageContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function sendPage(res: Response, page: string): void {
  res.set('Content-Security-Policy', pageContentSecurityPolicy).type('html').send(page);
}
