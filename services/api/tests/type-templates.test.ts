import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '@tidings/test-support';
import { startEmailHarness } from './email-harness.ts';
import type { ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startEmailHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('notification type templates', () => {
  const key = () => `tpl-${uniqueId('t').toLowerCase()}`;
  const mjml = (text: string, color = '#333333') =>
    `<mjml><mj-body><mj-section><mj-column><mj-text color="${color}">${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

  it('refuses MJML that does not compile, naming the template', async () => {
    const type = key();
    const response = await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { default_email: true, template: mjml('x', 'nope') } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details).toEqual([{ path: 'template', message: expect.stringMatching(/color/) }]);
    expect((await h.request('GET', `/v1/notification-types/${type}`, { token: h.service })).body).toMatchObject({ default_email: false, template: null });
    const unclosed = await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template: mjml('{{#data.items}}') } });
    expect(unclosed.body.error.details[0]).toMatchObject({ path: 'template', message: expect.stringMatching(/never closed/) });
  });

  it('stores MJML that compiles, and still clears a template with null', async () => {
    const type = key();
    const template = mjml('Hello {{recipient_name}}: {{title}}');
    const saved = await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template } });
    expect(saved.status).toBe(200);
    expect(saved.body.template).toBe(template);
    expect((await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template: null } })).body.template).toBeNull();
  });
});
