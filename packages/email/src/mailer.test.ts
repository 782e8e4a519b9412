import { createServer, type AddressInfo, type Server } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { Mailer, PermanentEmailError, TemporaryEmailError, classifySmtpError } from './mailer.ts';
import { unsubscribeHeaders } from './unsubscribe.ts';

const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** A real SMTP server on 127.0.0.1 and a free port; `received` fills with parsed messages. */
async function startSmtp(options: Partial<SMTPServerOptions> = {}) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port, received };
}

function mailerFor(port: number, options: Partial<ConstructorParameters<typeof Mailer>[0]> = {}) {
  const mailer = new Mailer({ url: `smtp://127.0.0.1:${port}`, from: 'Acme <notifications@acme.test>', ...options });
  closers.push(() => mailer.close());
  return mailer;
}

const message = {
  to: 'alice@example.test',
  subject: 'Your order shipped',
  html: '<p>It is on its way.</p>',
  text: 'It is on its way.\n',
};

/** An SMTP rejection the way smtp-server's hooks expect it. */
function smtpError(responseCode: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode });
}

describe('Mailer against a real SMTP server', () => {
  it('delivers HTML and text parts with the unsubscribe headers', async () => {
    const smtp = await startSmtp();
    const durations: number[] = [];
    const mailer = mailerFor(smtp.port, { sendDuration: { observe: (seconds) => durations.push(seconds) } });
    const headers = unsubscribeHeaders('https://acme.test/v1/unsubscribe?token=abc.def', 'unsubscribe@acme.test');
    const sent = await mailer.send({ ...message, headers });
    expect(sent.messageId).toMatch(/^<.+@.+>$/);
    expect(sent.response).toMatch(/^250/);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.messageId).toBe(sent.messageId);
    expect(mail.subject).toBe('Your order shipped');
    expect(mail.from?.value).toEqual([{ name: 'Acme', address: 'notifications@acme.test' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'alice@example.test' }] });
    expect(mail.html).toContain('<p>It is on its way.</p>');
    expect(mail.text).toBe('It is on its way.\n');
    expect(rawHeader(mail, 'list-unsubscribe')).toBe('<https://acme.test/v1/unsubscribe?token=abc.def>, <mailto:unsubscribe@acme.test>');
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(durations).toHaveLength(1);
  });

  it('reports a 451 on RCPT as a TemporaryEmailError', async () => {
    const smtp = await startSmtp({ onRcptTo: (_address, _session, callback) => callback(smtpError(451, '4.7.1 Greylisted, try again later')) });
    const error = await mailerFor(smtp.port)
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemporaryEmailError);
    expect(error).toMatchObject({ temporary: true, responseCode: 451, command: 'RCPT TO' });
    expect((error as TemporaryEmailError).reason).toContain('Greylisted');
    expect(smtp.received).toHaveLength(0);
  });

  it("reports a 550 as a PermanentEmailError with the server's reason", async () => {
    const smtp = await startSmtp({ onRcptTo: (_address, _session, callback) => callback(smtpError(550, '5.1.1 No such user here')) });
    const error = await mailerFor(smtp.port)
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentEmailError);
    expect(error).toMatchObject({ temporary: false, responseCode: 550 });
    expect((error as PermanentEmailError).reason).toBe('550 5.1.1 No such user here');
    expect((error as PermanentEmailError).message).toContain('5.1.1 No such user here');
  });

  it('reports a 554 after DATA as a PermanentEmailError', async () => {
    const smtp = await startSmtp({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError(554, '5.7.1 Message rejected as spam')));
      },
    });
    const error = await mailerFor(smtp.port)
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentEmailError);
    expect((error as PermanentEmailError).reason).toContain('rejected as spam');
  });

  it('reports nothing listening as a TemporaryEmailError', async () => {
    const port = await freePort();
    const error = await mailerFor(port)
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemporaryEmailError);
    expect((error as TemporaryEmailError).responseCode).toBeUndefined();
  });

  it('reports a server that never greets as a TemporaryEmailError after the greeting timeout', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const silentPort = (silent.address() as AddressInfo).port;
    const started = Date.now();
    const error = await mailerFor(silentPort, { greetingTimeoutMs: 200 })
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemporaryEmailError);
    expect((error as TemporaryEmailError).code).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('classifySmtpError', () => {
  it('decides by reply code first, then by error code', () => {
    expect(classifySmtpError({ responseCode: 421, response: '421 busy' })).toBeInstanceOf(TemporaryEmailError);
    expect(classifySmtpError({ responseCode: 552, response: '552 too big', code: 'EMESSAGE' })).toBeInstanceOf(PermanentEmailError);
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 454, response: '454 try later' })).toBeInstanceOf(TemporaryEmailError);
    for (const code of ['ECONNECTION', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS']) {
      expect(classifySmtpError(Object.assign(new Error(code), { code }))).toBeInstanceOf(TemporaryEmailError);
    }
    for (const code of ['EMESSAGE', 'EENVELOPE', 'EAUTH', 'ENOAUTH']) {
      expect(classifySmtpError(Object.assign(new Error(code), { code }))).toBeInstanceOf(PermanentEmailError);
    }
    expect(classifySmtpError(new Error('something new'))).toBeInstanceOf(TemporaryEmailError);
    expect(classifySmtpError('a string')).toBeInstanceOf(TemporaryEmailError);
    const already = new PermanentEmailError('x', {});
    expect(classifySmtpError(already)).toBe(already);
  });
});

/** A header as sent, unfolded (RFC 5322 §2.2.3): mailparser turns List-* headers into objects. */
function rawHeader(mail: ParsedMail, key: string): string | undefined {
  const line = mail.headerLines.find((header) => header.key === key)?.line;
  return line
    ?.replace(/\r?\n(?=[ \t])/g, '')
    .slice(line.indexOf(':') + 1)
    .trim();
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
