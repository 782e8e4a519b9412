import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pnpm, repoRoot, sh } from './tools.ts';

/**
 * The packages an app installs from a registry: packed as `pnpm publish` would pack them, installed
 * into an empty project with npm, then imported by Node and type-checked as a TypeScript app would.
 */
const published = ['protocol', 'client', 'inbox', 'react'] as const;

let dir: string;
let app: string;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tidings-publish-'));
  for (const name of published) {
    const { stdout } = await sh(pnpm, ['pack', '--pack-destination', dir], { cwd: path.join(repoRoot, 'packages', name) });
    tarballs.set(name, stdout.trim().split('\n').at(-1)!);
  }
  app = path.join(dir, 'app');
  await sh('mkdir', ['-p', app], { cwd: dir });
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs.values(), 'react@19', 'react-dom@19', '@types/react@19'], {
    cwd: app,
    timeoutMs: 240_000,
  });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('published packages', () => {
  it('hold built JavaScript, types and sources, and nothing that only the workspace understands', async () => {
    for (const name of published) {
      const { stdout } = await sh('tar', ['xzf', tarballs.get(name)!, '-O', 'package/package.json'], { cwd: dir });
      expect(stdout, name).not.toContain('workspace:');
      expect(stdout, name).not.toContain('@tidings/source');
      const { stdout: files } = await sh('tar', ['tzf', tarballs.get(name)!], { cwd: dir });
      const list = files.split('\n');
      expect(list, name).toContain('package/dist/index.js');
      expect(list, name).toContain('package/dist/index.d.ts');
      expect(
        list.filter((file) => /\.test\.tsx?$|tsbuildinfo/.test(file)),
        name,
      ).toEqual([]);
    }
  });

  it('import in Node from a project that has nothing but them', async () => {
    const { stdout } = await sh(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const names = {};
         for (const name of ['@tidings/protocol', '@tidings/client', '@tidings/inbox', '@tidings/react']) names[name] = Object.keys(await import(name)).sort();
         console.log(JSON.stringify(names));`,
      ],
      { cwd: app },
    );
    const names = JSON.parse(stdout) as Record<string, string[]>;
    expect(names['@tidings/client']).toEqual(expect.arrayContaining(['TidingsClient', 'TidingsApiError']));
    expect(names['@tidings/inbox']).toEqual(expect.arrayContaining(['TidingsInbox']));
    expect(names['@tidings/react']).toEqual(expect.arrayContaining(['TidingsProvider', 'TidingsInbox', 'useNotifications', 'useUnreadCount']));
    expect(names['@tidings/protocol']).toEqual(expect.arrayContaining(['serverFrameSchema', 'clientFrameSchema']));
  });

  it('type-check in a strict TypeScript app', async () => {
    await writeFile(
      path.join(app, 'main.tsx'),
      `import { TidingsClient, type WireNotification } from '@tidings/client';
       import { TidingsProvider, TidingsInbox, useUnreadCount } from '@tidings/react';
       import { TidingsInbox as InboxElement } from '@tidings/inbox';

       export const client = new TidingsClient({ url: 'https://realtime.example', getToken: async () => 'token' });
       function Count() {
         const unread: number | undefined = useUnreadCount();
         return <span>{unread}</span>;
       }
       export function Bell() {
         return (
           <TidingsProvider apiUrl="https://api.example" gatewayUrl="https://realtime.example" getToken={async () => 'token'}>
             <TidingsInbox />
             <Count />
           </TidingsProvider>
         );
       }
       export const first = (items: WireNotification[]): string | undefined => items[0]?.title;
       export const element: InboxElement | null = document.querySelector('tidings-inbox');
      `,
    );
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          jsx: 'react-jsx',
          lib: ['ES2023', 'DOM'],
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['main.tsx'],
      }),
    );
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    await sh(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app });
    expect(await readdir(app)).toContain('main.tsx');
  });
});
