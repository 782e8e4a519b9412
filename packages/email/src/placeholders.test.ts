import { describe, expect, it } from 'vitest';
import { TemplateError, escapeHtml, parseTemplate, safeUrl } from './placeholders.ts';

describe('parseTemplate', () => {
  it('fills values HTML-escaped, with no raw form', () => {
    const template = parseTemplate('<p>{{ title }}</p><p>{{{title}}}</p>');
    expect(template.fill({ title: `<script>alert("x")</script> & 'co'` })).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p><p>{&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;}</p>',
    );
  });

  it('reads dotted paths and renders missing or non-scalar values as nothing', () => {
    const template = parseTemplate('[{{data.order.id}}|{{data.missing.deep}}|{{data.order}}|{{count}}|{{absent}}]');
    expect(template.fill({ data: { order: { id: 42 } }, count: 0 })).toBe('[42|||0|]');
  });

  it('shows sections for truthy values, inverted ones for falsy, and repeats lists per item', () => {
    const template = parseTemplate('{{#items}}<li>{{title}} of {{owner}}</li>{{/items}}{{^items}}none{{/items}}{{#flag}}!{{/flag}}');
    expect(template.fill({ owner: 'ann', items: [{ title: 'a' }, { title: '<b>' }], flag: true })).toBe('<li>a of ann</li><li>&lt;b&gt; of ann</li>!');
    expect(template.fill({ items: [], flag: false })).toBe('none');
  });

  it('keeps an item field that is null from falling through to the outer scope', () => {
    const template = parseTemplate('{{#items}}[{{body}}]{{/items}}');
    expect(template.fill({ body: 'outer', items: [{ body: null }] })).toBe('[]');
  });

  it('drops a non-http(s) URL in a *url value, in href/src attributes and in *url sections', () => {
    const template = parseTemplate('<a href="{{data.link}}">{{data.link}}</a><img src=\'{{pic}}\'>{{action_url}}{{#action_url}}<b>yes</b>{{/action_url}}');
    const bad = template.fill({ data: { link: 'javascript:alert(1)' }, pic: 'data:image/png;base64,xx', action_url: ' JavaScript:alert(1)' });
    expect(bad).toBe('<a href="">javascript:alert(1)</a><img src=\'\'>');
    const good = template.fill({ data: { link: 'https://a.test/?x=1&y=2' }, pic: 'http://a.test/p.png', action_url: 'https://a.test/n' });
    expect(good).toBe('<a href="https://a.test/?x=1&amp;y=2">https://a.test/?x=1&amp;y=2</a><img src=\'http://a.test/p.png\'>https://a.test/n<b>yes</b>');
  });

  it('refuses unbalanced sections', () => {
    expect(() => parseTemplate('{{#a}}x')).toThrow(TemplateError);
    expect(() => parseTemplate('x{{/a}}')).toThrow(TemplateError);
    expect(() => parseTemplate('{{#a}}{{#b}}{{/a}}{{/b}}')).toThrow(/still open/);
  });
});

describe('safeUrl and escapeHtml', () => {
  it('accepts only absolute http(s) URLs', () => {
    expect(safeUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeUrl('HTTP://EXAMPLE.com')).toBe('http://example.com/');
    for (const bad of ['javascript:alert(1)', 'java\nscript:alert(1)', 'data:text/html,x', 'mailto:a@b', '/relative', '', 42, null]) {
      expect(safeUrl(bad)).toBeUndefined();
    }
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
