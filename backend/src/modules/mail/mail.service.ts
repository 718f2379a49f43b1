import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeToTenant } from '../../db/tenant-filter.js';
import type { Logger } from '../../logger.js';
import type { Mailer, OutgoingMail } from './mailer.js';

/** What a mail is about: each kind is written by its feature (a composer). */
export const MAIL_KINDS = [
  'invitation',
  'password-reset',
  'page-incident',
  'webhook-disabled',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * A mail to send, as ids: the record it is about (an invitation, a reset link) and its tenant;
 * `recipientId`, the user, when the record alone does not say who (a page incident's admins).
 */
export type MailRequest = { kind: MailKind; id: string; tenantId: string; recipientId?: string };

/**
 * Writes the mail about record `id` from what is stored now (in the tenant's language), or
 * null when there is nothing to send any more (revoked, used, deleted meanwhile).
 */
export type MailComposer = (id: string, recipientId?: string) => Promise<OutgoingMail | null>;

/** Sends the mail a job asks for; a failure throws, so the job retries it. */
export class MailService {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer: Mailer,
    private readonly composers: Record<MailKind, MailComposer>,
    private readonly logger: Logger,
  ) {}

  async send(request: MailRequest): Promise<void> {
    scopeToTenant(this.em, request.tenantId); // jobs are not requests: no tenant yet
    const mail = await this.composers[request.kind](request.id, request.recipientId);
    if (!mail) {
      this.logger.info({ mail: request }, 'mail no longer due: not sent');
      return;
    }
    await this.mailer.send(mail);
  }
}
