import type { EntityManager } from '@mikro-orm/postgresql';
import type { LinkTokens } from '../mail/link-tokens.js';
import type { MailComposer } from '../mail/mail.service.js';
import { renderMail } from '../mail/mail-templates.js';
import { PasswordReset } from './password-reset.entity.js';

/** A reset link that still works: unused and younger than an hour. */
export function stillValid() {
  return { usedAt: null, expiresAt: { $gt: new Date() } };
}

export function resetTokenOf(tokens: LinkTokens, reset: PasswordReset): string {
  return tokens.tokenFor('password-reset', reset.id, reset.tokenNonce);
}

/** Writes a reset mail when it is sent, in the tenant's language; nothing once the link was used. */
export function passwordResetMail(
  em: EntityManager,
  tokens: LinkTokens,
  publicUrl: string,
): MailComposer {
  return async (id) => {
    const reset = await em.findOne(
      PasswordReset,
      { id, ...stillValid() },
      { populate: ['user', 'user.tenant'] },
    );
    if (!reset) return null;
    const mail = renderMail('password-reset', reset.user.tenant.language, {
      name: reset.user.name,
      link: `${publicUrl}/reset-password/${resetTokenOf(tokens, reset)}`,
    });
    return { ...mail, to: reset.user.email };
  };
}
