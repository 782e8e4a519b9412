/**
 * Summarises a V8 .cpuprofile (from `pnpm bench:api --profile`): self time by function and by
 * package, and inclusive time of chosen functions.
 *
 *   pnpm exec tsx services/api/bench/profile-summary.ts <file.cpuprofile> [top=25] [inclusive-name-regex]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg, inclusivePattern] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top] [inclusive-name-regex]');
  process.exit(1);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  if (url === '') return '(native/vm)';
  const pnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pnpm) return pnpm[1]!;
  const workspace = url.match(/\/(packages|services)\/([^/]+)\//);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  if (url.startsWith('node:')) return 'node core';
  return url.replace(/^file:\/\//, '');
}

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const idle = ['(idle)', '(program)', '(garbage collector)'];

const functions = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const name = idle.includes(functionName) ? functionName : `${functionName || '(anonymous)'} ${where(url)}:${lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + us);
  const pkg = idle.includes(functionName) ? functionName : where(url);
  packages.set(pkg, (packages.get(pkg) ?? 0) + us);
}
const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);

// Node core and native frames charged to the nearest caller that belongs to a package.
const owners = new Map<string, number>();
const neutral = new Set(['node core', '(native/vm)']);
profile.samples.forEach((id, i) => {
  let owner = '(native/vm)';
  for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
    const { functionName, url } = byId.get(node)!.callFrame;
    if (idle.includes(functionName)) {
      owner = functionName;
      break;
    }
    const pkg = where(url);
    if (!neutral.has(pkg)) {
      owner = pkg;
      break;
    }
  }
  owners.set(owner, (owners.get(owner) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nself time by owning package (node core and native time charged to the nearest package caller)');
for (const [name, us] of sorted(owners)) console.log(`${pct(us)}  ${name}`);
console.log('\nself time by package');
for (const [name, us] of sorted(packages)) console.log(`${pct(us)}  ${name}`);
console.log('\nself time by function');
for (const [name, us] of sorted(functions)) console.log(`${pct(us)}  ${name}`);

if (inclusivePattern) {
  // Inclusive time: samples whose stack contains a frame matching the pattern (counted once).
  const pattern = new RegExp(inclusivePattern);
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const { functionName, url } = byId.get(node)!.callFrame;
      const name = `${functionName} ${where(url)}`;
      if (pattern.test(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
      }
    }
  });
  console.log(`\ninclusive time of frames matching /${inclusivePattern}/`);
  for (const [name, us] of sorted(inclusive)) console.log(`${pct(us)}  ${name}`);
}

// Main-thread busy share per second: the measured window shows whether the event loop was saturated.
if (process.env.TIMELINE) {
  const buckets: { busy: number; all: number }[] = [];
  let t = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    const second = Math.floor(t / 1e6);
    const bucket = (buckets[second] ??= { busy: 0, all: 0 });
    bucket.all += delta;
    if (byId.get(id)!.callFrame.functionName !== '(idle)') bucket.busy += delta;
  });
  console.log('\nmain thread busy per second');
  console.log(buckets.map((b, s) => `${s}s:${b ? Math.round((100 * b.busy) / b.all) : 0}%`).join(' '));
}
