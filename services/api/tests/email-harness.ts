import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

/** The secret the email harness verifies webhook signatures with. */
export const webhookSecret = 'webhook-secret-for-tests-0123456789abcdef';

/** The API with a webhook secret, and a product name pages must escape. */
export function startEmailHarness(): Promise<ApiHarness> {
  return startHarness({ EMAIL_WEBHOOK_SECRET: webhookSecret, PRODUCT_NAME: 'Acme <Mail> & "Co"', BRAND_COLOR: '#123456' });
}

/** A new recipient with the address `<id>@example.com`; resolves its id. */
export async function newRecipient(h: ApiHarness): Promise<string> {
  const id = uniqueId('unsub');
  await h.request('PUT', `/v1/recipients/${id}`, { token: h.service, body: { email: `${id}@example.com` } });
  return id;
}
