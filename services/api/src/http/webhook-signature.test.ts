import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, signatureProblem, signatureToleranceSeconds } from './webhook-signature.ts';

const secret = 'a-webhook-secret-of-at-least-32-chars';
const body = Buffer.from('{"events":[]}');
const now = 1_800_000_000;

describe('webhook signatures', () => {
  it('signs "<t>.<raw body>" with HMAC-SHA256 in hex', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body.toString()}`).digest('hex');
    expect(signWebhook(secret, body, now)).toBe(`t=${now},v1=${expected}`);
    expect(signatureProblem(secret, signWebhook(secret, body, now), body, now)).toBeNull();
  });

  it('accepts any matching v1 entry (secret rotation) and ignores unknown parts', () => {
    const good = signWebhook(secret, body, now).split(',')[1]!;
    const other = signWebhook('another-secret-of-at-least-32-chars!', body, now).split(',')[1]!;
    expect(signatureProblem(secret, `t=${now}, ${other}, v0=zz, ${good}`, body, now)).toBeNull();
  });

  it('refuses timestamps outside the tolerance, either way', () => {
    for (const drift of [signatureToleranceSeconds, -signatureToleranceSeconds]) {
      expect(signatureProblem(secret, signWebhook(secret, body, now + drift), body, now)).toBeNull();
    }
    for (const drift of [signatureToleranceSeconds + 1, -signatureToleranceSeconds - 1]) {
      expect(signatureProblem(secret, signWebhook(secret, body, now + drift), body, now)).toMatch(/timestamp/);
    }
  });

  it('explains each malformed header', () => {
    const v1 = signWebhook(secret, body, now).split(',')[1]!;
    expect(signatureProblem(secret, undefined, body, now)).toMatch(/missing/);
    expect(signatureProblem(secret, v1, body, now)).toMatch(/no t=/);
    expect(signatureProblem(secret, `t=-5,${v1}`, body, now)).toMatch(/no t=/);
    expect(signatureProblem(secret, `t=${now},v1=ABC`, body, now)).toMatch(/no v1=/);
    expect(signatureProblem(secret, `t=${now},${v1}`, Buffer.from('{"events":[1]}'), now)).toMatch(/does not match/);
  });
});
