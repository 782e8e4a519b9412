import { describe, expect, it } from 'vitest';
import { emailEventsPerRequest, emailEventsSchema, unsubscribeFormSchema, unsubscribeQuerySchema } from './email.ts';

describe('email schemas', () => {
  it('reads any bad unsubscribe token as absent, so every bad link gets one answer', () => {
    expect(unsubscribeQuerySchema.parse({ token: 'a.b', utm_source: 'mail' })).toEqual({ token: 'a.b' });
    expect(unsubscribeQuerySchema.parse({ token: ['a.b', 'c.d'] }).token).toBeUndefined();
    expect(unsubscribeQuerySchema.parse({}).token).toBeUndefined();
  });

  it("takes the one-click body and the page's scope, ignoring extras", () => {
    expect(unsubscribeFormSchema.parse({ 'List-Unsubscribe': 'One-Click', extra: 'x' })).toEqual({ 'List-Unsubscribe': 'One-Click' });
    expect(unsubscribeFormSchema.parse({ scope: 'type' })).toEqual({ scope: 'type' });
    expect(unsubscribeFormSchema.safeParse({ scope: 'everything' }).success).toBe(false);
  });

  it('bounds provider events', () => {
    const event = { type: 'bounced', email: 'a@example.com', message_id: '<m@x>', reason: 'full' };
    expect(emailEventsSchema.parse({ events: [event] }).events).toHaveLength(1);
    expect(emailEventsSchema.safeParse({ events: [] }).success).toBe(false);
    expect(emailEventsSchema.safeParse({ events: Array.from({ length: emailEventsPerRequest + 1 }, () => event) }).success).toBe(false);
    expect(emailEventsSchema.safeParse({ events: [{ ...event, message_id: '' }] }).success).toBe(false);
    expect(emailEventsSchema.safeParse({ events: [event], more: 1 }).success).toBe(false);
  });
});
