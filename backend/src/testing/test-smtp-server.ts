import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { until } from './until.js';

/** A mail as the test's SMTP server received it, parsed. */
export type ReceivedMail = { to: string[]; subject: string; text: string; html: string };

/**
 * A real SMTP server on an ephemeral port of loopback, keeping every mail it receives (no
 * TLS, any credentials): what Omni's mails go through in tests, instead of a mock transport.
 */
export async function startTestSmtpServer() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed: ParsedMail) => {
          received.push({
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The mails to `address` so far, oldest first. */
    mailsTo: (address: string) => received.filter((mail) => mail.to.includes(address)),
    /** Waits for the `count`-th mail to `address` (1: the first); undefined if none came. */
    async mailTo(address: string, count = 1): Promise<ReceivedMail | undefined> {
      const mails = await until(
        () => received.filter((mail) => mail.to.includes(address)),
        (found) => found.length >= count,
      );
      return mails[count - 1];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestSmtpServer = Awaited<ReturnType<typeof startTestSmtpServer>>;

/**
 * Starts the SMTP server before the file's tests (register it before useTestApi: the api's
 * environment gets SMTP_URL from it) and stops it after them.
 */
export function useTestSmtpServer(): { environment: Record<string, string> } & TestSmtpServer {
  let current: TestSmtpServer | undefined;
  const environment: Record<string, string> = {};
  beforeAll(async () => {
    current = await startTestSmtpServer();
    environment['SMTP_URL'] = current.url;
  });
  afterAll(() => current?.close());
  return new Proxy({ environment } as { environment: Record<string, string> } & TestSmtpServer, {
    get(target, property: keyof TestSmtpServer | 'environment') {
      if (property === 'environment') return target.environment;
      if (!current) throw new Error('The SMTP server starts in beforeAll; use it inside tests.');
      return current[property];
    },
  });
}
