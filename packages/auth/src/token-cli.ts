import { parseArgs } from 'node:util';
import { loadConfig } from '@tidings/config';
import { createSigner } from './index.ts';

/**
 * `pnpm token --sub alice [--role admin]… [--scope notifications:publish] [--ttl 3600]`
 * prints a token signed with the configured key.
 */
const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    role: { type: 'string', multiple: true },
    scope: { type: 'string' },
    ttl: { type: 'string', default: '86400' },
  },
});
if (!values.sub) {
  console.error('usage: pnpm token --sub <user id> [--role admin] [--scope notifications:publish] [--ttl seconds]');
  process.exit(2);
}
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) {
  console.error('--ttl: a whole number of seconds');
  process.exit(2);
}
const sign = createSigner(loadConfig());
console.log(sign({ sub: values.sub, roles: values.role ?? [], scope: values.scope, expiresIn: ttl }));
