import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, errorCodes, isDatabaseUnavailable } from './errors.ts';

describe('errors', () => {
  it('documents every code in the README with its status', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const [code, { status }] of Object.entries(errorCodes)) {
      expect(readme, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
    }
  });

  it('renders the contract error body', () => {
    expect(new AppError('not_found', 'notification not found').toBody()).toEqual({ error: { code: 'not_found', message: 'notification not found' } });
    expect(new AppError('validation_failed', 'bad', [{ path: 'title' }]).toBody().error.details).toEqual([{ path: 'title' }]);
  });

  it('recognises an unreachable database, also behind a cause', () => {
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: { code: 'CONNECTION_ENDED' } }))).toBe(true);
    expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
  });
});
