import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TemplateError } from './placeholders.ts';
import { EmailRenderer, cleanSubject, compileMjml, defaultTemplatesDir, validateTemplate, type Branding } from './templates.ts';

const branding: Branding = {
  productName: 'Acme',
  logoUrl: 'https://cdn.acme.test/logo.png',
  color: '#3355ff',
  footerAddress: '1 Main Street, Springfield',
  publicUrl: 'https://acme.test',
};

/** A compile function that counts how often MJML really runs. */
function countingCompiler() {
  const sources: string[] = [];
  return {
    sources,
    compile: async (source: string) => {
      sources.push(source);
      return compileMjml(source);
    },
  };
}

const customType = (marker: string) => `<mjml><mj-body><mj-section><mj-column>
  <mj-text>${marker} {{title}} for {{recipient_name}} #{{data.order_id}}</mj-text>
  <mj-button href="{{data.link}}" background-color="{{brand_color}}">Open</mj-button>
</mj-column></mj-section></mj-body></mjml>`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-templates-'));
  await copyFile(join(defaultTemplatesDir, 'default.mjml'), join(dir, 'default.mjml'));
  await copyFile(join(defaultTemplatesDir, 'digest.mjml'), join(dir, 'digest.mjml'));
  await writeFile(join(dir, 'comment.created.mjml'), customType('FROM-TYPE-FILE'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EmailRenderer.render', () => {
  const renderer = new EmailRenderer({ branding });

  it('escapes HTML in the title and body: a <script> arrives as text', async () => {
    const email = await renderer.render({
      type: 'alert',
      title: '<script>alert("t")</script>',
      body: 'Hi <img src=x onerror=alert(1)>\nsecond line',
      actionUrl: 'https://acme.test/n/1?a=1&b=2',
    });
    expect(email.html).not.toMatch(/<script|<img src=x/i);
    expect(email.html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;');
    expect(email.html).toContain('Hi &lt;img src=x onerror=alert(1)&gt;\nsecond line');
    expect(email.html).toContain('href="https://acme.test/n/1?a=1&amp;b=2"');
    expect(email.html).toContain('src="https://cdn.acme.test/logo.png"');
    expect(email.html).toContain('#3355ff');
    expect(email.html).toContain('1 Main Street, Springfield');
    expect(email.text).toContain('<script>alert("t")</script>\n\nHi <img src=x onerror=alert(1)>\nsecond line');
    expect(email.text).toContain('View: https://acme.test/n/1?a=1&b=2');
    expect(email.template).toBe('default');
  });

  it('drops a javascript: action URL (and the button with it), resolves a path against the public URL', async () => {
    for (const actionUrl of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' java\tscript:alert(1)', 'data:text/html,<b>x</b>', '//evil.test/x']) {
      const email = await renderer.render({ type: 'alert', title: 't', actionUrl });
      expect(email.html.toLowerCase()).not.toContain('script:');
      expect(email.html).not.toContain('evil.test');
      expect(email.html).not.toContain('View in Acme');
      expect(email.text).not.toContain('View:');
    }
    const relative = await renderer.render({ type: 'alert', title: 't', actionUrl: '/inbox/42' });
    expect(relative.html).toContain('href="https://acme.test/inbox/42"');
  });

  it('makes a one-line subject: CR/LF become spaces and a long title is cut to 200 characters', async () => {
    const injected = await renderer.render({ type: 'alert', title: 'Hello\r\nBcc: victim@example.com\r\n\r\nbody' });
    expect(injected.subject).toBe('Hello Bcc: victim@example.com body');
    const long = await renderer.render({ type: 'alert', title: 'é'.repeat(500) });
    expect(Array.from(long.subject)).toHaveLength(200);
    expect(long.subject.endsWith('…')).toBe(true);
    expect(cleanSubject('  \u2028 ')).toBe('');
    const blank = await renderer.render({ type: 'alert', title: '\r\n' });
    expect(blank.subject).toBe('Acme');
  });

  it('puts the unsubscribe link in the footer and the text part', async () => {
    const unsubscribeUrl = 'https://acme.test/v1/unsubscribe?token=abc.def';
    const email = await renderer.render({ type: 'alert', title: 't', unsubscribeUrl });
    expect(email.html).toContain(`href="${unsubscribeUrl}"`);
    expect(email.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
    const without = await renderer.render({ type: 'alert', title: 't' });
    expect(without.html).not.toContain('Unsubscribe');
  });

  it('runs MJML once per template, however many messages, even when they arrive together', async () => {
    const counter = countingCompiler();
    const cached = new EmailRenderer({ branding, compile: counter.compile, templatesDir: dir });
    await Promise.all(Array.from({ length: 5 }, (_, i) => cached.render({ type: 'alert', title: `n${i}` })));
    await cached.render({ type: 'other.type', title: 'again' });
    await cached.renderDigest({ period: 'daily', items: [{ title: 'a' }] });
    await cached.renderDigest({ period: 'weekly', items: [{ title: 'b' }] });
    expect(counter.sources).toHaveLength(2);
    // The brand colour is in the MJML that was compiled (MJML validates colours), not a placeholder.
    expect(counter.sources.every((source) => source.includes('#3355ff') && !source.includes('brand_color'))).toBe(true);
  });

  it('uses templates/<type>.mjml when there is one (type keys may contain dots), the default otherwise', async () => {
    const counter = countingCompiler();
    const typed = new EmailRenderer({ branding, compile: counter.compile, templatesDir: dir });
    const email = await typed.render({
      type: 'comment.created',
      title: '<i>hi</i>',
      recipientName: 'Ann',
      data: { order_id: 7, link: 'javascript:alert(1)' },
    });
    expect(email.template).toBe('comment.created');
    expect(email.html).toContain('FROM-TYPE-FILE &lt;i&gt;hi&lt;/i&gt; for Ann #7');
    expect(email.html).not.toContain('javascript:');
    await typed.render({ type: 'comment.created', title: 'again' });
    for (const type of ['comment', '../default', 'Comment.Created']) {
      expect((await typed.render({ type, title: 'x' })).template).toBe('default');
    }
    expect(counter.sources).toHaveLength(2);
  });

  it("prefers the type's template override, compiled once per distinct source", async () => {
    const counter = countingCompiler();
    const overridden = new EmailRenderer({ branding, compile: counter.compile, templatesDir: dir });
    const template = customType('FROM-OVERRIDE');
    const first = await overridden.render({ type: 'comment.created', title: 'a', template, data: { link: 'https://acme.test/x' } });
    await overridden.render({ type: 'comment.created', title: 'b', template });
    expect(first.template).toBe('override:comment.created');
    expect(first.html).toContain('FROM-OVERRIDE a for');
    expect(first.html).toContain('href="https://acme.test/x"');
    expect(counter.sources).toHaveLength(1);
    await overridden.render({ type: 'comment.created', title: 'c', template: customType('CHANGED') });
    expect(counter.sources).toHaveLength(2);
    const blank = await overridden.render({ type: 'comment.created', title: 'd', template: '  ' });
    expect(blank.template).toBe('comment.created');
  });

  it('rejects an invalid override with a TemplateError, and validateTemplate says why', async () => {
    await expect(renderer.render({ type: 'x', title: 't', template: '<mjml><mj-body><mj-nope /></mj-body></mjml>' })).rejects.toThrow(TemplateError);
    expect(await validateTemplate(customType('ok'))).toEqual([]);
    const [problem] = await validateTemplate(
      '<mjml>\n<mj-body><mj-section><mj-column><mj-text color="nope">x</mj-text></mj-column></mj-section></mj-body></mjml>',
    );
    expect(problem).toMatch(/^invalid MJML template: line 2 \(mj-text\): Attribute color has invalid value: nope/);
    // The author sees where in the template, never where the server runs.
    expect(problem).not.toContain(process.cwd());
    expect((await validateTemplate('<mjml><mj-body><mj-section><mj-column><mj-text>{{#a}}</mj-text></mj-column></mj-section></mj-body></mjml>'))[0]).toMatch(
      /never closed/,
    );
  });

  it('refuses a branding colour that is not #rgb/#rrggbb (it lands in CSS)', () => {
    expect(() => new EmailRenderer({ branding: { ...branding, color: 'red;background:url(x)' } })).toThrow(TemplateError);
  });
});

describe('EmailRenderer.renderDigest', () => {
  const renderer = new EmailRenderer({ branding: { ...branding, logoUrl: undefined }, digestMaxItems: 3 });

  it('lists every notification with title, body and link, and the count', async () => {
    const email = await renderer.renderDigest({
      period: 'daily',
      unsubscribeUrl: 'https://acme.test/v1/unsubscribe?token=t.s',
      items: [
        { title: 'First <b>', body: 'one', actionUrl: '/n/1', createdAt: new Date('2024-05-01T10:00:00Z') },
        { title: 'Second', actionUrl: 'javascript:alert(1)' },
      ],
    });
    expect(email.subject).toBe('Your daily Acme digest: 2 new notifications');
    expect(email.template).toBe('digest');
    expect(email.html).toContain('2 new notifications');
    expect(email.html).toContain('<a href="https://acme.test/n/1" style="color:#3355ff;text-decoration:none">First &lt;b&gt;</a>');
    expect(email.html).toContain('>one</div>');
    expect(email.html).toContain('2024-05-01 10:00 UTC');
    expect(email.html).toMatch(/>Second<\/div>/);
    expect(email.html).not.toContain('javascript:');
    expect(email.html).toContain('>Acme</div>');
    expect(email.text).toContain('- First <b>\n  one\n  https://acme.test/n/1');
    expect(email.text).toContain('- Second');
    expect(email.text).toContain('Unsubscribe: https://acme.test/v1/unsubscribe?token=t.s');
  });

  it('shows the first items and says how many more there are', async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ title: `item-${i}` }));
    const email = await renderer.renderDigest({ period: 'weekly', items });
    expect(email.subject).toBe('Your weekly Acme digest: 5 new notifications');
    expect(email.html).toContain('item-2');
    expect(email.html).not.toContain('item-3');
    expect(email.html).toContain('…and 2 more.');
    expect(email.text).toContain('…and 2 more.');
    const one = await renderer.renderDigest({ period: 'daily', items: [{ title: 'x' }] });
    expect(one.subject).toBe('Your daily Acme digest: 1 new notification');
    expect(one.html).not.toContain('more.');
  });
});
