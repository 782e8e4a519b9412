import { clientErrorCodes } from '@tidings/client';

/**
 * Browsers report a refused cross-origin call only as a network error (the reason goes to the
 * console, not to the page), so when the API of another origin gives no answer, this says in the
 * console which setting would let this page in. Once per API and page.
 */
const hinted = new Set<string>();

export function hintUnreachableApi(error: unknown, apiUrl: string): void {
  if ((error as { code?: unknown } | null)?.code !== clientErrorCodes.networkError) return;
  const api = new URL(apiUrl).origin;
  const page = location.origin;
  if (api === page || hinted.has(api)) return;
  hinted.add(api);
  console.error(
    `<tidings-inbox>: the API at ${api} did not answer this page (${page}). If it is running, add ${page} to the API's CORS_ORIGINS and to the gateways' GATEWAY_ORIGINS.`,
  );
}
