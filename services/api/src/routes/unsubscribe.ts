import { unsubscribeEmail } from '@tidings/domain';
import { verifyUnsubscribe, type UnsubscribeClaims } from '@tidings/email';
import { unsubscribeFormSchema, unsubscribeQuerySchema, unsubscribeResultSchema, type UnsubscribeScope } from '@tidings/protocol';
import { AppError } from '@tidings/server-kit';
import type { ApiDeps } from '../deps.ts';
import { html, htmlPage, prefersJson, type PageBranding } from '../http/html.ts';
import { ipRateLimit } from '../http/rate-limit.ts';
import { route } from '../http/route.ts';

/** Page views and clicks per client address and minute: plenty for people, little for a link guesser. */
export const unsubscribePerMinute = 60;

/** The page is per recipient and the answer to a POST must not be replayed by a cache. */
const personal = { 'Cache-Control': 'no-store', Vary: 'Accept' };

const errorTitles: Partial<Record<AppError['code'], string>> = {
  invalid_token: 'This unsubscribe link does not work',
  rate_limited: 'Too many attempts',
  validation_failed: 'This request cannot be handled',
};

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

function verifiedClaims(secret: string, token: string | undefined): UnsubscribeClaims {
  const claims = verifyUnsubscribe(secret, token);
  if (claims === null)
    throw new AppError('invalid_token', 'the unsubscribe link is missing its token, or the token is altered; open the whole link from the email');
  return claims;
}

/** What the page and the POST share: the URL with its token, the rate limit, errors as HTML pages. */
function commonSpec(deps: ApiDeps, branding: PageBranding) {
  const limit = ipRateLimit({
    redis: deps.redis,
    keyPrefix: deps.config.REDIS_PREFIX,
    name: 'unsubscribe',
    perMinute: unsubscribePerMinute,
    logger: deps.logger,
  });
  const errorPage = (error: AppError) => htmlPage(branding, errorTitles[error.code] ?? 'Something went wrong', html`<p>${sentence(error.message)}</p>`);
  return {
    path: '/v1/unsubscribe',
    tag: 'Email',
    access: 'public' as const,
    query: unsubscribeQuerySchema,
    before: [limit],
    errorPage,
  };
}

/**
 * The link in every email's footer and `List-Unsubscribe` header. GET only shows a confirmation
 * page (mail scanners fetch links, so it must change nothing); POST unsubscribes, either from the
 * page's buttons or as an RFC 8058 one-click request sent by the mail provider.
 */
export function unsubscribeRoutes(deps: ApiDeps) {
  const branding: PageBranding = { productName: deps.config.PRODUCT_NAME, brandColor: deps.config.BRAND_COLOR };
  const common = commonSpec(deps, branding);
  const claimsOf = (token: string | undefined) => verifiedClaims(deps.config.UNSUBSCRIBE_SECRET, token);

  return [
    route({
      ...common,
      method: 'get',
      summary: 'The unsubscribe confirmation page (changes nothing)',
      description: `An HTML page whose buttons POST to the same URL. Limited to ${unsubscribePerMinute} requests a minute per client address.`,
      responses: {
        200: { description: 'The confirmation page', html: true },
        400: { description: '`invalid_token`: missing, altered or malformed token', html: true },
        429: { description: 'Rate limited; see Retry-After', html: true },
      },
      handler: async ({ query }) => {
        const claims = claimsOf(query.token);
        const action = `?${new URLSearchParams({ token: query.token ?? '' }).toString()}`;
        const content =
          claims.type === undefined
            ? html`<p>Stop all emails from ${branding.productName}?</p>
                <form method="post" action="${action}"><button class="primary" name="scope" value="all">Unsubscribe from all emails</button></form>`
            : html`<p>Which emails from ${branding.productName} should stop?</p>
                <form method="post" action="${action}">
                  <button class="primary" name="scope" value="type">Only “${claims.type}” emails</button>
                  <button name="scope" value="all">All emails</button>
                </form>`;
        return { status: 200, html: htmlPage(branding, 'Unsubscribe', content), headers: personal };
      },
    }),
    route({
      ...common,
      method: 'post',
      summary: "Unsubscribe (RFC 8058 one-click, or the confirmation page's buttons)",
      description:
        'Mail providers post `List-Unsubscribe=One-Click` with no cookies or token; the signed link is the authority. ' +
        'Answers an HTML page, or JSON when Accept prefers `application/json`. A user who no longer exists also gets 200. ' +
        `Limited to ${unsubscribePerMinute} requests a minute per client address.`,
      bodyFormat: 'form',
      body: unsubscribeFormSchema,
      responses: {
        200: { description: 'Unsubscribed', schema: unsubscribeResultSchema, html: true },
        400: { description: '`invalid_token`, or `validation_failed` for `scope=type` with an all-email link', html: true },
        429: { description: 'Rate limited; see Retry-After', html: true },
      },
      handler: async ({ query, body, req }) => {
        const claims = claimsOf(query.token);
        const scope: UnsubscribeScope = body.scope ?? (claims.type === undefined ? 'all' : 'type');
        if (scope === 'type' && claims.type === undefined) {
          const message = 'this link is for all emails, not one type';
          throw new AppError('validation_failed', `invalid body: scope: ${message}`, [{ path: 'scope', message }]);
        }
        const type = scope === 'type' ? claims.type : undefined;
        const found = await unsubscribeEmail(deps.database.sql, claims.userId, type);
        deps.logger.info({ user: claims.userId, scope, type, found }, found ? 'unsubscribed from email' : 'unsubscribe for an unknown recipient');
        if (prefersJson(req)) return { status: 200, body: { unsubscribed: scope, ...(type === undefined ? {} : { type }) }, headers: personal };
        const content =
          type === undefined
            ? html`<p>You will no longer receive emails from ${branding.productName}.</p>`
            : html`<p>You will no longer receive “${type}” emails from ${branding.productName}.</p>
                <p class="note">Critical notices of this kind, such as security alerts, may still be sent.</p>`;
        return { status: 200, html: htmlPage(branding, 'You are unsubscribed', content), headers: personal };
      },
    }),
  ];
}
