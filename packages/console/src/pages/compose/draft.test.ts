import { describe, expect, it } from 'vitest';
import { draftProblems, dryRunOf, emptyDraft, fieldOfPath, newIdempotencyKey, parseData, requestOf, splitList, targetOf } from './draft.ts';

describe('compose drafts', () => {
  it('splits ids on commas and new lines', () => {
    expect(splitList(' u1, u2\nu3,,\n u1 ')).toEqual(['u1', 'u2', 'u3']);
  });

  it('targets users, roles or everyone', () => {
    expect(targetOf({ ...emptyDraft, userIds: 'a,b' })).toEqual({ user_ids: ['a', 'b'] });
    expect(targetOf({ ...emptyDraft, mode: 'roles', roles: 'admin' })).toEqual({ roles: ['admin'] });
    expect(targetOf({ ...emptyDraft, mode: 'all' })).toEqual({ all: true });
    expect(targetOf(emptyDraft)).toBeNull();
  });

  it('accepts only a JSON object as data', () => {
    expect(parseData('')).toEqual({ ok: true, value: undefined });
    expect(parseData('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseData('[1]').ok).toBe(false);
    expect(parseData('{"a":').ok).toBe(false);
  });

  it('names what is missing', () => {
    expect(draftProblems(emptyDraft)).toEqual({ userIds: 'recipients', type: 'typeMissing', title: 'title' });
    const later = { ...emptyDraft, userIds: 'u', type: 'a.b', title: 'T', when: 'later' as const, sendAt: '2000-01-01T10:00' };
    expect(draftProblems(later)).toEqual({ sendAt: 'sendAtPast' });
  });

  it('builds the request and the dry run', () => {
    const draft = { ...emptyDraft, userIds: 'u1', type: 'comment.created', title: ' Hi ', data: '{"x":1}', actionUrl: '/a' };
    expect(requestOf(draft)).toEqual({ to: { user_ids: ['u1'] }, type: 'comment.created', title: 'Hi', priority: 'normal', action_url: '/a', data: { x: 1 } });
    expect(dryRunOf({ ...draft, type: 'Bad Type' })).toEqual({ to: { user_ids: ['u1'] }, type: 'console.compose', title: 'Recipient count', dry_run: true });
  });

  it('maps API problem paths to fields', () => {
    expect(fieldOfPath('to.user_ids.0', 'users')).toBe('userIds');
    expect(fieldOfPath('send_at', 'users')).toBe('sendAt');
    expect(fieldOfPath('whatever', 'users')).toBeNull();
  });

  it('gives each composed message its own idempotency key, without needing a secure context', () => {
    const keys = new Set(Array.from({ length: 100 }, newIdempotencyKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });
});
