import { describe, expect, it } from 'vitest';
import { draftFrom, draftToUpsert, keyProblem, newTypeDraft, previewRequest } from './model.ts';

describe('notification type drafts', () => {
  it('round-trips a type, blank text meaning none', () => {
    const type = {
      key: 'order.shipped',
      description: null,
      default_in_app: true,
      default_email: true,
      critical: false,
      template: null,
      created_at: null,
      updated_at: null,
    };
    const draft = draftFrom(type);
    expect(draft).toEqual({ ...newTypeDraft, key: 'order.shipped', default_email: true });
    expect(draftToUpsert(draft)).toEqual({ description: null, default_in_app: true, default_email: true, critical: false, template: null });
    expect(draftToUpsert({ ...draft, description: '  Shipping  ', template: '<mjml></mjml>' })).toMatchObject({
      description: 'Shipping',
      template: '<mjml></mjml>',
    });
  });

  it('asks the preview for the default layout when the template is blank', () => {
    expect(previewRequest('  ', '', '')).toEqual({ template: null });
    expect(previewRequest('<mjml/>', 'Hi', 'There')).toEqual({ template: '<mjml/>', title: 'Hi', body: 'There' });
  });

  it('checks keys as the API does', () => {
    expect(keyProblem('')).toBe('required');
    expect(keyProblem('Order')).toBe('pattern');
    expect(keyProblem('.x')).toBe('pattern');
    expect(keyProblem('a'.repeat(65))).toBe('tooLong');
    expect(keyProblem('order.shipped_v2-x')).toBeUndefined();
  });
});
