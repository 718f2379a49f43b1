import type { EntityManager } from '@mikro-orm/postgresql';
import type { LinkTokens } from '../mail/link-tokens.js';
import type { MailComposer } from '../mail/mail.service.js';
import { renderMail } from '../mail/mail-templates.js';
import { Invitation } from './invitation.entity.js';

export const INVITATION_TOKEN_PURPOSE = 'invitation';

/**
 * Writes an invitation's mail when it is sent, in the tenant's language, with its current
 * link (a resend changed it); nothing once the invitation is accepted or revoked.
 */
export function invitationMail(
  em: EntityManager,
  tokens: LinkTokens,
  publicUrl: string,
): MailComposer {
  return async (id) => {
    const invitation = await em.findOne(
      Invitation,
      { id, acceptedAt: null, revokedAt: null },
      { populate: ['tenant', 'invitedBy'] },
    );
    if (!invitation) return null;
    const token = tokens.tokenFor(INVITATION_TOKEN_PURPOSE, invitation.id, invitation.tokenNonce);
    const mail = renderMail('invitation', invitation.tenant.language, {
      tenantName: invitation.tenant.name,
      inviterName: invitation.invitedBy?.name ?? invitation.tenant.name,
      name: invitation.name,
      link: `${publicUrl}/invite/${token}`,
      expiresAt: invitation.expiresAt,
    });
    return { ...mail, to: invitation.email };
  };
}
