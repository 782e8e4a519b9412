import { describe, expect, it } from 'vitest';
import { closeCodes } from '@tidings/protocol';
import { closeActionFor, closePolicy } from './close-policy.ts';

describe('close policy', () => {
  it('waits and retries after 4008 (too many connections) instead of refreshing the token', () => {
    expect(closeActionFor(closeCodes.tooManyConnections)).toBe('backoff');
    expect(closeActionFor(closeCodes.badToken)).toBe('reauthenticate');
  });

  it('gives every protocol close code an action, and retries unknown codes with backoff', () => {
    for (const code of Object.values(closeCodes)) expect(closePolicy[code]).toBeDefined();
    expect(closeActionFor(closeCodes.forcedDisconnect)).toBe('stop');
    expect(closeActionFor(closeCodes.tokenExpired)).toBe('at_once');
    expect(closeActionFor(closeCodes.gatewayDraining)).toBe('at_once');
    for (const code of [1000, 1001, 1006, 1011, 4999]) expect(closeActionFor(code)).toBe('backoff');
  });
});
