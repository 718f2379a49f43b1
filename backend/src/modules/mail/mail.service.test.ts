import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../logger.js';
import { loadConfig } from '../../config.js';
import { LogMailer, type Mailer, type OutgoingMail } from './mailer.js';
import { MailService, type MailComposer } from './mail.service.js';

const logger = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));
const mail: OutgoingMail = { to: 'anna@example.test', subject: 'S', text: 'T', html: '<p>T</p>' };

function serviceWith(mailer: Mailer, composer: MailComposer) {
  const em = { setFilterParams: vi.fn() } as unknown as EntityManager;
  return {
    em,
    service: new MailService(
      em,
      mailer,
      {
        invitation: composer,
        'password-reset': composer,
        'page-incident': composer,
        'webhook-disabled': composer,
      },
      logger,
    ),
  };
}

describe('MailService', () => {
  it('writes the mail in its tenant and hands it to the mailer', async () => {
    const send = vi.fn().mockResolvedValue(undefined);
    const composer = vi.fn().mockResolvedValue(mail);
    const { em, service } = serviceWith({ send, close: () => {} }, composer);
    await service.send({ kind: 'invitation', id: 'i1', tenantId: 't1' });
    expect(em.setFilterParams).toHaveBeenCalledWith('tenant', { tenantId: 't1' });
    expect(composer).toHaveBeenCalledWith('i1', undefined);
    expect(send).toHaveBeenCalledWith(mail);
  });

  it('throws when the SMTP server refuses, so the job retries it', async () => {
    const send = vi.fn().mockRejectedValue(new Error('421 try again later'));
    const { service } = serviceWith({ send, close: () => {} }, async () => mail);
    await expect(
      service.send({ kind: 'password-reset', id: 'r1', tenantId: 't1' }),
    ).rejects.toThrow('421 try again later');
  });

  it('sends nothing once the record no longer calls for a mail (revoked, used)', async () => {
    const send = vi.fn();
    const { service } = serviceWith({ send, close: () => {} }, async () => null);
    await service.send({ kind: 'invitation', id: 'i1', tenantId: 't1' });
    expect(send).not.toHaveBeenCalled();
  });

  it('writes mails to the log when there is no SMTP server (outside production)', async () => {
    const info = vi.fn();
    await new LogMailer({ info } as unknown as typeof logger).send(mail);
    expect(info).toHaveBeenCalledWith(
      { mail: { to: mail.to, subject: mail.subject, text: mail.text } },
      expect.stringContaining('no SMTP_URL'),
    );
  });
});
