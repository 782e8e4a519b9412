import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from './harness.ts';

let bundle: Awaited<ReturnType<typeof buildBundle>>;
beforeAll(async () => {
  bundle = await buildBundle();
});
afterAll(() => bundle.remove());

describe('the build', () => {
  it('writes a content-hashed file, a byte-identical alias, its source map and a manifest naming both', async () => {
    const files = (await readdir(bundle.dir)).sort();
    const hashed = files.find((file) => /^tidings-inbox-[\w-]{6,}\.js$/.test(file));
    expect(hashed).toBeDefined();
    expect(files).toEqual(['manifest.json', hashed, `${hashed}.map`, 'tidings-inbox.js'].sort());
    expect(JSON.parse(await readFile(join(bundle.dir, 'manifest.json'), 'utf8'))).toEqual({ file: hashed, alias: 'tidings-inbox.js' });
    const [code, alias] = await Promise.all([readFile(join(bundle.dir, hashed!)), readFile(join(bundle.dir, 'tidings-inbox.js'))]);
    expect(alias.equals(code)).toBe(true);
    expect(code.toString()).toContain(`//# sourceMappingURL=${hashed}.map`);
  });

  it('is one self-contained, minified ES module that defines the element', async () => {
    const code = await readFile(join(bundle.dir, 'tidings-inbox.js'), 'utf8');
    // No import of lit, the SDK or anything else: one <script type="module"> is all a page needs.
    expect(code).not.toMatch(/^import\s|\bimport\s*\(|\bfrom\s*["'](lit|@tidings)/m);
    expect(code).toMatch(/customElements\.define\(["'`]tidings-inbox["'`]/);
    expect(code).not.toContain('Lit is in dev mode');
    expect(code).toMatch(/export\s*\{[^}]*\bTidingsInbox\b/);
    // Minified: no indented statements and no doc comments (line breaks left are inside CSS and HTML strings).
    expect(code).not.toMatch(/\n[ \t]+(const|let|return|if|for)\b/);
    expect(code).not.toContain('/**');
  });
});
