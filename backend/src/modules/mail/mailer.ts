import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { RenderedMail } from './mail-templates.js';

/** One mail to one address. */
export type OutgoingMail = RenderedMail & { to: string };

/** Hands mails over to whatever delivers them; throws when it could not (the job retries). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer (one pooled transport per process). */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Without SMTP_URL outside production: each mail is written to the log (its links included,
 * so a developer can follow them) and shown nowhere else.
 */
export class LogMailer implements Mailer {
  constructor(private readonly logger: Logger) {}

  async send(mail: OutgoingMail): Promise<void> {
    this.logger.info(
      { mail: { to: mail.to, subject: mail.subject, text: mail.text } },
      'mail not sent (no SMTP_URL): written here instead',
    );
  }

  close(): void {}
}

export function createMailer(config: Config, logger: Logger): Mailer {
  return config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom) : new LogMailer(logger);
}
