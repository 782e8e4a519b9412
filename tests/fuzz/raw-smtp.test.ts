import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawExchange } from '@tidings/test-support';
import { checkProperty, FuzzSystem, runs } from './system.ts';

// Random lines on the mailbox's SMTP port, with every process of the system running: the only
// property is that the process survives.

/** Batches of one to four SMTP sessions at once. */
const SMTP_CASES = runs(40);
/** How long an SMTP session may stay open before the case gives up on it: one cut off inside DATA is held open by design. */
const SMTP_TIMEOUT_MS = 1_000;

let system: FuzzSystem;
beforeAll(async () => {
  system = await FuzzSystem.start({ gateways: [{}, {}], worker: true, mailbox: true });
});
afterAll(async () => {
  await system?.close();
});

const smtpLine = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'EHLO fuzz',
      'HELO fuzz',
      'MAIL FROM:<a@example.com>',
      'RCPT TO:<b@example.com>',
      'DATA',
      'RSET',
      'NOOP',
      'QUIT',
      'VRFY a',
      'HELP',
      'STARTTLS',
      'AUTH PLAIN AGFAYg==',
      'AUTH LOGIN',
      'BDAT 10 LAST',
      '.',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'MAIL FROM:<>',
      'MAIL FROM:<a@b> SIZE=99999999999',
      'RCPT TO:<\u0000@x>',
      'MAIL FROM:a',
      'RCPT TO:<"very..odd"@[::1]>',
      'Subject: =?utf-8?B?////?=',
      'Content-Type: multipart/mixed; boundary=',
      '--',
      'Content-Transfer-Encoding: base64',
      '!!!!',
      'GET / HTTP/1.1',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((length) => 'L'.repeat(length)) },
);
const messageLine = fc.oneof(
  fc.constantFrom(
    'Subject: =?utf-8?B?////?=',
    'Content-Type: multipart/mixed; boundary="b"',
    '--b',
    '--b--',
    'Content-Transfer-Encoding: base64',
    'Content-Type: text/html; charset=x-unknown',
    'From: "\u0000" <a@b>',
    '',
    '..',
    '=?=?=',
    '=FF=FE',
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
);
/** A session that gets as far as a message, whose head and body are random: food for the MIME parser. */
const messageSession = fc
  .array(messageLine, { maxLength: 12 })
  .map((lines) => [
    'EHLO fuzz',
    'MAIL FROM:<a@example.com>',
    'RCPT TO:<b@example.com>',
    'DATA',
    ...lines.map((line) => (line === '.' ? '..' : line)),
    '.',
    'QUIT',
  ]);
const smtpSession = fc
  .tuple(
    fc.oneof(fc.array(smtpLine, { minLength: 1, maxLength: 12 }), messageSession),
    fc.oneof({ weight: 4, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r') }),
  )
  .map(([lines, eol]) => Buffer.from(`${lines.join(eol)}${eol}`, 'latin1'));

/** Sends `bytes` once the server's greeting arrived (smtp-server turns away a client that talks first), then reads until it hangs up. */
function afterGreeting(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      if (text === '') socket.end(bytes);
      text += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(text));
    socket.setTimeout(SMTP_TIMEOUT_MS, () => socket.destroy());
  });
}

it('no SMTP session takes the mailbox down', async () => {
  const smtp = system.listeners().find((listener) => listener.protocol === 'smtp')!;
  let sessions = 0;
  // A few sessions at once: each waits ~100 ms for its greeting.
  const property = fc.asyncProperty(fc.array(fc.tuple(smtpSession, fc.boolean()), { minLength: 1, maxLength: 4 }), async (batch) => {
    if (!system.alive()) return;
    sessions += batch.length;
    await Promise.all(batch.map(([bytes, early]) => (early ? rawExchange(smtp.port, bytes, SMTP_TIMEOUT_MS) : afterGreeting(smtp.port, bytes))));
    expect(smtp.service.alive(), smtp.service.lines.slice(-5).join('\n')).toBe(true);
  });
  await checkProperty('SMTP sessions', property, SMTP_CASES);
  const kept = (await (await fetch(`${system.url('mailbox')}/api/messages`)).json()) as unknown[];
  console.info(`fuzz: SMTP sessions: ${sessions} sessions in ${SMTP_CASES} batches, ${kept.length} messages kept`);
  await system.expectHealthy();
}, 600_000);
