/**
 * Writes the tokens the k6 scenarios need: one user token for each of `bench-0` … `bench-<N-1>`
 * and one service token (scope notifications:publish), signed with the configured key
 * (JWT_SECRET / JWT_PRIVATE_KEY from the environment, as the services read it).
 *
 *   pnpm exec tsx --conditions=@tidings/source k6/make-tokens.ts --users 10000 --out k6/tokens.json [--prefix bench-] [--ttl 86400]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSigner } from '../packages/auth/src/index.ts';
import { loadConfig } from '../packages/config/src/index.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    out: { type: 'string', default: 'k6/tokens.json' },
    prefix: { type: 'string', default: 'bench-' },
    ttl: { type: 'string', default: '86400' },
  },
});
const users = Number(values.users);
const ttl = Number(values.ttl);
if (!Number.isInteger(users) || users <= 0 || !Number.isInteger(ttl) || ttl <= 0) {
  console.error('usage: pnpm exec tsx --conditions=@tidings/source k6/make-tokens.ts --users N [--out FILE] [--prefix bench-] [--ttl seconds]');
  process.exit(2);
}

const sign = createSigner(loadConfig());
const file = {
  service: sign({ sub: 'k6-producer', scope: 'notifications:publish', expiresIn: ttl }),
  users: Array.from({ length: users }, (_, n) => {
    const id = `${values.prefix}${n}`;
    return { id, token: sign({ sub: id, expiresIn: ttl }) };
  }),
};
writeFileSync(values.out, JSON.stringify(file));
console.log(`wrote ${users} user tokens and a service token to ${values.out} (valid ${ttl} s)`);
