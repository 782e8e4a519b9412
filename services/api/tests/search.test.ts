import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '@tidings/protocol';
import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_USER_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await h?.close();
});

async function notify(user: string, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 'note', title, ...extra } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.notification_ids[0];
}

const search = (token: string, query: string) => h.request('GET', `/v1/notifications?${query}`, { token });
const titles = (response: { body: { items: { title: string }[] } }) => response.body.items.map((item) => item.title);

/** Every page of a search, following next_cursor to the end. */
async function allPages(token: string, query: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await search(token, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    seen.push(...titles(page));
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return seen;
}

describe('GET /v1/notifications?q=', () => {
  it('finds text in the title or the body, case-insensitively, newest first', async () => {
    const user = uniqueId('find');
    const token = h.userToken(user);
    await notify(user, 'Quarterly REPORT ready');
    await notify(user, 'Lunch', { body: 'the report is attached' });
    await notify(user, 'Nothing to see');
    await notify(user, 'Über alles', { body: 'ünïcödé' });
    expect(titles(await search(token, 'q=report'))).toEqual(['Lunch', 'Quarterly REPORT ready']);
    expect(titles(await search(token, 'q=rEpOrT%20READY'))).toEqual(['Quarterly REPORT ready']);
    expect(titles(await search(token, `q=${encodeURIComponent('ünïc')}`))).toEqual(['Über alles']);
    expect(titles(await search(token, 'q=absent'))).toEqual([]);
    // Surrounding spaces are not part of the search.
    expect(titles(await search(token, 'q=%20%20lunch%20'))).toEqual(['Lunch']);
  });

  it('takes %, _ and \\ literally', async () => {
    const user = uniqueId('wild');
    const token = h.userToken(user);
    for (const title of ['100% done', '100 done', 'a_b', 'axb', 'back\\slash', 'backslash']) await notify(user, title);
    expect(titles(await search(token, `q=${encodeURIComponent('100%')}`))).toEqual(['100% done']);
    expect(titles(await search(token, `q=${encodeURIComponent('%')}`))).toEqual(['100% done']);
    expect(titles(await search(token, 'q=a_b'))).toEqual(['a_b']);
    expect(titles(await search(token, 'q=_'))).toEqual(['a_b']);
    expect(titles(await search(token, `q=${encodeURIComponent('k\\s')}`))).toEqual(['back\\slash']);
  });

  it('combines with type, unread_only and the cursor', async () => {
    const user = uniqueId('mix');
    const token = h.userToken(user);
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) ids.push(await notify(user, `deploy ${i}`, { type: i % 2 ? 'odd' : 'even' }));
    await notify(user, 'unrelated', { type: 'odd' });
    await h.request('POST', `/v1/notifications/${ids[4]}/read`, { token });

    expect(titles(await search(token, 'q=deploy&type=odd'))).toEqual(['deploy 5', 'deploy 3', 'deploy 1']);
    expect(titles(await search(token, 'q=deploy&type=odd&unread_only=true'))).toEqual(['deploy 3', 'deploy 1']);
    const first = await search(token, 'q=deploy&limit=4');
    expect(titles(first)).toEqual(['deploy 6', 'deploy 5', 'deploy 4', 'deploy 3']);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await search(token, `q=deploy&limit=4&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(titles(second)).toEqual(['deploy 2', 'deploy 1']);
    expect(second.body.next_cursor).toBeNull();
    expect(await allPages(token, 'q=deploy&limit=1&unread_only=true')).toEqual(['deploy 6', 'deploy 4', 'deploy 3', 'deploy 2', 'deploy 1']);
  });

  it("does not find deleted notifications, nor another user's", async () => {
    const owner = uniqueId('owner');
    const other = uniqueId('other');
    const gone = await notify(owner, 'secret plan');
    await notify(other, 'secret plan too');
    await h.request('DELETE', `/v1/notifications/${gone}`, { token: h.userToken(owner) });
    expect(titles(await search(h.userToken(owner), 'q=secret'))).toEqual([]);
    expect(titles(await search(h.userToken(other), 'q=secret'))).toEqual(['secret plan too']);
  });

  it('in a large inbox, finds a term the newest rows lack and one they are full of, page after page', async () => {
    const user = uniqueId('large');
    const token = h.userToken(user);
    await h.request('PUT', `/v1/recipients/${user}`, { token: h.service, body: {} });
    // 1,500 rows: "needle" in seqs 3, 700 and 1,490, "common" in every row from seq 1,001 on. Seq
    // 1,490 is not marked published yet (the trigram index does not hold it): the newest rows,
    // read in order, still find it.
    await h.api.deps.database.sql`
      insert into notifications (user_id, seq, type, title, body, published_at)
      select ${user}, s, 'bulk',
             case when s in (3, 700, 1490) then 'needle ' || s else 'hay ' || s end,
             case when s > 1000 then 'common words' else '' end,
             case when s = 1490 then null else now() end
      from generate_series(1, 1500) s`;
    await h.api.deps.database.sql`update recipients set last_seq = 1500 where id = ${user}`;

    expect(await allPages(token, 'q=needle&limit=1')).toEqual(['needle 1490', 'needle 700', 'needle 3']);
    expect(titles(await search(token, 'q=needle&limit=20'))).toEqual(['needle 1490', 'needle 700', 'needle 3']);
    const common = await allPages(token, 'q=common&limit=100');
    expect(common).toHaveLength(500);
    expect(common[0]).toBe('hay 1500');
    expect(common.at(-1)).toBe('hay 1001');
    expect(titles(await search(token, 'q=needle%20700'))).toEqual(['needle 700']);
  });
});

describe('bad q', () => {
  it.each([
    ['empty', 'q='],
    ['only spaces', 'q=%20%20%20'],
    ['longer than the limit', `q=${'x'.repeat(limits.searchLength + 1)}`],
    ['a NUL', 'q=a%00b'],
    ['repeated', 'q=a&q=b'],
  ])('%s answers 400 naming q', async (_label, query) => {
    const response = await search(h.userToken(uniqueId('bad')), query);
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain('q');
  });

  it('accepts the longest allowed text', async () => {
    expect((await search(h.userToken(uniqueId('long')), `q=${'x'.repeat(limits.searchLength)}`)).status).toBe(200);
  });

  it('needs a user token', async () => {
    expect((await h.request('GET', '/v1/notifications?q=x')).status).toBe(401);
    expect((await h.request('GET', '/v1/notifications?q=x', { token: h.service })).status).toBe(403);
  });
});
