import { describe, expect, it } from 'vitest';
import { emptyFilters, filtersFromSearch, filtersToQuery, filtersToSearch, hasFilters, localToIso, rangeIsBackwards } from './filters.ts';

describe('notification filters', () => {
  it('reads the URL query, unknown read states as all', () => {
    const filters = filtersFromSearch(new URLSearchParams('user_id=alice&read=unread&broadcast_id=b1&q=%20hi%20'));
    expect(filters).toEqual({ ...emptyFilters, user_id: 'alice', read: 'unread', broadcast_id: 'b1', q: 'hi' });
    expect(filtersFromSearch(new URLSearchParams('read=maybe')).read).toBe('all');
  });

  it('writes only what is set, and reads back the same', () => {
    const filters = { ...emptyFilters, type: 'comment.created', read: 'read' as const, from: '2025-03-01T09:30' };
    const search = filtersToSearch(filters);
    expect(search.toString()).toBe('type=comment.created&from=2025-03-01T09%3A30&read=read');
    expect(filtersFromSearch(search)).toEqual(filters);
    expect(filtersToSearch(emptyFilters).toString()).toBe('');
    expect(hasFilters(emptyFilters)).toBe(false);
    expect(hasFilters(filters)).toBe(true);
  });

  it('turns the read state into is_read and local times into instants', () => {
    expect(filtersToQuery({ ...emptyFilters, read: 'unread' }).is_read).toBe(false);
    expect(filtersToQuery({ ...emptyFilters, read: 'read' }).is_read).toBe(true);
    expect(filtersToQuery(emptyFilters).is_read).toBeUndefined();
    const iso = localToIso('2025-03-01T09:30');
    expect(iso).toBe(new Date(2025, 2, 1, 9, 30).toISOString());
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('not a date')).toBeUndefined();
  });

  it('sees a range that ends before it starts', () => {
    expect(rangeIsBackwards({ from: '2025-03-02T00:00', to: '2025-03-01T00:00' })).toBe(true);
    expect(rangeIsBackwards({ from: '2025-03-01T00:00', to: '2025-03-02T00:00' })).toBe(false);
    expect(rangeIsBackwards({ from: '', to: '2025-03-01T00:00' })).toBe(false);
  });
});
